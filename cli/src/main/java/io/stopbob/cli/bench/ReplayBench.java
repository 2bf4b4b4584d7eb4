package io.stopbob.cli.bench;

import io.stopbob.cli.Kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.schemas.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Rebuilding the ledger from the log (what every service does at start) against the bare
 * consumer of the same topic in the same run: records decoded from Avro, mapped to the
 * domain and applied, versus records only fetched. Each is run twice, alternating, and
 * the better run of each counts.
 */
final class ReplayBench {

	static final String TOPIC = "bench-replay";

	private final Kafka kafka;

	ReplayBench(Kafka kafka) {
		this.kafka = kafka;
	}

	void run(Figures figures, int events, int targets) throws Exception {
		this.kafka.recreate(Set.of(TOPIC), 6);
		long produceStart = System.nanoTime();
		produce(events, targets);
		figures.put("replay_events", events);
		figures.put("replay_produce_events_per_s", events / ((System.nanoTime() - produceStart) / 1e9));

		double bare = 0;
		double ledger = 0;
		int deploys = 0;
		long heapMb = 0;
		for (int round = 0; round < 2; round++) {
			bare = Math.max(bare, consume(events, null));
			Ledger rebuilt = new Ledger();
			ledger = Math.max(ledger, consume(events, rebuilt));
			deploys = rebuilt.size();
			heapMb = heldMb(rebuilt);
		}
		figures.put("replay_bare_events_per_s", bare);
		figures.put("replay_ledger_events_per_s", ledger);
		figures.put("replay_ledger_deploys", deploys);
		figures.put("replay_ledger_finished_held", Ledger.Limits.DEFAULT.finishedDeploys());
		// What a service would hold in its heap after this replay, with the window it
		// runs with and with one as long as the history.
		figures.put("replay_ledger_heap_mb", heapMb);
		Ledger everything = new Ledger(Ledger.Limits.window(Integer.MAX_VALUE));
		consume(events, everything);
		figures.put("replay_unwindowed_deploys", everything.size());
		figures.put("replay_unwindowed_heap_mb", heldMb(everything));
		figures.put("replay_ledger_over_bare", ledger / bare);
		figures.put("replay_target_ratio", 0.5);
		figures.put("replay_target_met", ledger / bare >= 0.5);
	}

	/** The heap in use with the ledger still reachable, after a collection. */
	private static long heldMb(Ledger ledger) {
		Runtime runtime = Runtime.getRuntime();
		System.gc();
		long used = runtime.totalMemory() - runtime.freeMemory();
		return (ledger.size() >= 0) ? used / (1024 * 1024) : 0;
	}

	/**
	 * Every event once, through the ledger when one is given; events per second.
	 */
	private double consume(int events, Ledger ledger) {
		EventCodec codec = EventCodec.standard();
		long bytes = 0;
		int seen = 0;
		long start = System.nanoTime();
		try (KafkaConsumer<String, byte[]> consumer = this.kafka.consumer(TOPIC, true)) {
			long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
			while (seen < events) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("replay read " + seen + " of " + events + " events in 5 minutes");
				}
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					bytes += record.value().length;
					if (ledger != null) {
						ledger.apply(EventMapping.toDomain(codec.decode(record.value())));
					}
					seen++;
				}
			}
		}
		if (bytes == 0) {
			throw new IllegalStateException("no bytes read");
		}
		return events / ((System.nanoTime() - start) / 1e9);
	}

	/**
	 * Deploys of five events each (requested, tagged, built, rolled out, finished), keyed
	 * by target as the services publish them.
	 */
	private void produce(int events, int targets) throws Exception {
		EventCodec codec = EventCodec.standard();
		Instant at = Instant.parse("2026-11-01T00:00:00Z");
		try (KafkaProducer<String, byte[]> producer = this.kafka.producer()) {
			int sent = 0;
			for (int n = 0; sent < events; n++) {
				Target target = new Target("app" + (n % targets), (n % 2 == 0) ? "staging" : "production");
				String deployId = "d-replay-" + n;
				String sha = String.format("%040x", n);
				for (PipelineEvent event : SampleEvents.deploy(deployId, target, sha, at.plusSeconds(n))) {
					if (sent++ == events) {
						break;
					}
					producer
						.send(new ProducerRecord<>(TOPIC, target.toString(), codec.encode(EventMapping.toAvro(event))));
				}
			}
			producer.flush();
		}
	}

}
