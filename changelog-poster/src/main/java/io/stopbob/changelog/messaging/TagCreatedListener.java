package io.stopbob.changelog.messaging;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopbob.changelog.changes.PostChangelog;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.ledger.messaging.PartitionRestore;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * One changelog per tag. The deploys already posted are rebuilt from the topic on
 * assignment; a failure to post is logged with the deploy and counted
 * ({@code stop.changelog.failures}), and never holds up the next release.
 */
@Component
class TagCreatedListener implements ConsumerSeekAware {

	private static final Logger log = LoggerFactory.getLogger(TagCreatedListener.class);

	private final PostChangelog postChangelog;

	private final MeterRegistry meters;

	private final PartitionRestore restore = new PartitionRestore();

	private final Set<String> posted = ConcurrentHashMap.newKeySet();

	TagCreatedListener(PostChangelog postChangelog, MeterRegistry meters) {
		this.postChangelog = postChangelog;
		this.meters = meters;
	}

	@KafkaListener(id = "changelog-poster", topics = Topics.TAG_CREATED,
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record, Acknowledgment ack) {
		this.restore.accept(record, ack, (accepted, mode) -> {
			Tagged tagged = (Tagged) EventMapping.toDomain(accepted.value());
			if (!this.posted.add(tagged.deployId()) || mode == PartitionRestore.Mode.REPLAY) {
				return;
			}
			try {
				this.postChangelog.tagCreated(tagged, mode == PartitionRestore.Mode.UNCERTAIN);
			}
			catch (RuntimeException ex) {
				log.error("changelog for deploy {} ({}) could not be posted", tagged.deployId(), tagged.tag(), ex);
				this.meters.counter("stop.changelog.failures").increment();
			}
		});
	}

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.restore.onPartitionsAssigned(assignments, callback);
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		this.restore.onPartitionsRevoked(partitions);
	}

}
