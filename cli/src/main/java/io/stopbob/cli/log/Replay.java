package io.stopbob.cli.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.stopbob.cli.Kafka;
import io.stopbob.events.EventMeta;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Replays the pipeline log. The whole log (or from a time) is published again as it is,
 * event ids and all: every consumer has seen those ids, so nothing outside happens twice,
 * which is the proof that a replay is safe. One stuck deploy is re-driven by publishing
 * its last event again under a new event id, so the service that should act next does.
 * With dry run, the ledger is rebuilt here from what would be published and shown.
 */
public final class Replay {

	private static final String PRODUCER = "replay";

	private final Kafka kafka;

	private final PrintStream out;

	public Replay(Kafka kafka, PrintStream out) {
		this.kafka = kafka;
		this.out = out;
	}

	/** Publishes every pipeline event at or after {@code from} again; the count. */
	public int replay(Instant from, boolean dryRun) {
		Ledger ledger = new Ledger();
		int count = 0;
		try (KafkaProducer<String, byte[]> producer = dryRun ? null : this.kafka.producer()) {
			for (String topic : Topics.pipeline()) {
				int ofTopic = 0;
				for (ConsumerRecord<String, byte[]> record : read(topic, from)) {
					apply(ledger, record);
					if (producer != null) {
						producer.send(Kafka.byOperator(topic, record.key(), record.value()));
					}
					ofTopic++;
				}
				this.out.printf("%-18s %6d events%s%n", topic, ofTopic, dryRun ? " (dry run: not published)" : "");
				count += ofTopic;
			}
			if (producer != null) {
				producer.flush();
			}
		}
		summarize(ledger);
		return count;
	}

	/**
	 * Publishes the last event of a deploy that has not finished again, under a new event
	 * id; returns it.
	 */
	public SpecificRecord redrive(String deployId, boolean dryRun) throws Exception {
		List<SpecificRecord> events = new ArrayList<>();
		for (String topic : Topics.pipeline()) {
			for (ConsumerRecord<String, byte[]> record : read(topic, Instant.EPOCH)) {
				decode(record).filter((event) -> Events.meta(event).getDeployId().equals(deployId))
					.ifPresent(events::add);
			}
		}
		if (events.isEmpty()) {
			throw new IllegalArgumentException("no events of deploy " + deployId + " on the pipeline topics");
		}
		SpecificRecord last = events.stream()
			.max(Comparator.comparing((SpecificRecord event) -> EventMapping.toDomain(event).stage())
				.thenComparing((event) -> Events.meta(event).getOccurredAt()))
			.orElseThrow();
		PipelineEvent domain = EventMapping.toDomain(last);
		if (domain instanceof PipelineEvent.Finished finished) {
			throw new IllegalArgumentException(deployId + " has finished (" + finished.outcome()
					+ "); there is nothing to re-drive. Deploy again instead.");
		}
		EventMeta meta = Events.meta(last);
		EventMeta fresh = EventMeta.newBuilder(meta)
			.setEventId(UUID.randomUUID().toString())
			.setOccurredAt(Instant.now())
			.setProducer(PRODUCER)
			.build();
		last.put(last.getSchema().getField("meta").pos(), fresh);
		String topic = Topics.topicOf(last.getClass());
		this.out.println((dryRun ? "would publish " : "publishing ") + last.getSchema().getName() + " of " + deployId
				+ " to " + topic + " again as event " + fresh.getEventId() + " (stage "
				+ domain.stage().name().toLowerCase() + ")");
		if (!dryRun) {
			try (KafkaProducer<String, byte[]> producer = this.kafka.producer()) {
				producer.send(Kafka.byOperator(topic, Events.key(last), EventCodec.standard().encode(last))).get();
			}
		}
		return last;
	}

	private void summarize(Ledger ledger) {
		Map<String, Integer> outcomes = new java.util.TreeMap<>();
		int inFlight = 0;
		for (Deploy deploy : ledger.all()) {
			if (deploy.inFlight()) {
				inFlight++;
			}
			deploy.finish().ifPresent((finished) -> outcomes.merge(finished.outcome().name(), 1, Integer::sum));
		}
		this.out.println("ledger: " + ledger.size() + " deploys, " + inFlight + " in flight, finished " + outcomes);
	}

	private static void apply(Ledger ledger, ConsumerRecord<String, byte[]> record) {
		decode(record).map(EventMapping::toDomain).ifPresent(ledger::apply);
	}

	/** The event, or empty for bytes no reader could decode (they are dead letters). */
	private static Optional<SpecificRecord> decode(ConsumerRecord<String, byte[]> record) {
		try {
			return Optional.ofNullable(record.value()).map(EventCodec.standard()::decode);
		}
		catch (RuntimeException undecodable) {
			return Optional.empty();
		}
	}

	private List<ConsumerRecord<String, byte[]>> read(String topic, Instant from) {
		return this.kafka.records(topic, from);
	}

}
