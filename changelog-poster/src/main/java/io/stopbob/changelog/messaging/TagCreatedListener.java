package io.stopbob.changelog.messaging;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopbob.changelog.changes.PostChangelog;
import io.stopbob.changelog.config.ChangelogProperties;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.platform.bus.BusListeners;
import io.stopbob.platform.bus.PartitionRestore;
import io.stopbob.platform.bus.PartitionRestore.Mode;
import io.stopbob.platform.bus.PartitionState;
import io.stopbob.platform.bus.RestoringListener;
import io.stopbob.platform.memory.Bounded;
import io.stopbob.platform.retry.Outage;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One changelog per tag. The deploys whose changelog was posted are rebuilt from the
 * topic (a replayed tag was handled before); a tag counts as posted only once its message
 * is in the channel. Slack or GitHub being away makes the changelog wait, without holding
 * up the deploy; a refusal is logged with the deploy and counted
 * ({@code stop.changelog.failures}).
 */
@Component
class TagCreatedListener extends RestoringListener {

	private static final Logger log = LoggerFactory.getLogger(TagCreatedListener.class);

	private final PostChangelog postChangelog;

	private final MeterRegistry meters;

	private final Set<String> posted;

	TagCreatedListener(BusListeners bus, PostChangelog postChangelog, MeterRegistry meters,
			ChangelogProperties properties) {
		// Snapshots hold no state here, only where to read on from: a tag before them was
		// posted (its work committed), and one after them is looked for before it is
		// posted.
		super(bus, PartitionState.OFFSETS_ONLY);
		this.postChangelog = postChangelog;
		this.meters = meters;
		this.posted = Bounded.newestOf(properties.postedHeld());
	}

	@KafkaListener(id = "changelog-poster", topics = Topics.TAG_CREATED,
			containerPostProcessor = RestoringListener.ITSELF,
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record) {
		receive(record);
	}

	@Override
	protected void apply(SpecificRecord event, Mode mode) {
		if (mode == Mode.REPLAY) {
			this.posted.add(EventMapping.toDomain(event).deployId());
		}
	}

	@Override
	protected void act(SpecificRecord event, boolean uncertain) {
		Tagged tagged = (Tagged) EventMapping.toDomain(event);
		if (this.posted.contains(tagged.deployId())) {
			return;
		}
		try {
			this.postChangelog.tagCreated(tagged, uncertain);
		}
		catch (RuntimeException ex) {
			if (Outage.of(ex).isPresent()) {
				throw ex;
			}
			log.error("changelog for deploy {} ({}) could not be posted", tagged.deployId(), tagged.tag(), ex);
			this.meters.counter("stop.changelog.failures").increment();
		}
		this.posted.add(tagged.deployId());
	}

}
