package io.stopbob.cli.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.stopbob.cli.Kafka;
import io.stopbob.cli.Stack;
import io.stopbob.cli.stubs.OutsideStubs;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.platform.bus.Snapshots;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Years of history on the pipeline topics, and what each service makes of them when it
 * starts: how long until it is ready, how fast it rebuilt its state beside the bare
 * consumer of the same topics in the same run, and the heap it holds after (a 256 MB
 * heap, no full collection). Each service starts alone, so it has the machine to itself
 * as the bare consumer had.
 */
final class HistoryBench {

	/** The topics each service reads at start, for the events it had to go through. */
	private static final Map<String, List<String>> READS = Map.of("slack-ingress", Topics.pipeline(), "release-tagger",
			Topics.pipeline(), "rollout-service", Topics.pipeline(), "changelog-poster", List.of(Topics.TAG_CREATED));

	private static final Duration READY_WITHIN = Duration.ofMinutes(30);

	private final Stack stack;

	private final Kafka kafka;

	private final PrintStream log;

	HistoryBench(Stack stack, Kafka kafka, PrintStream log) {
		this.stack = stack;
		this.kafka = kafka;
		this.log = log;
	}

	void run(Figures figures, int deploys, List<Target> targets, Path home) throws Exception {
		Path catalog = home.resolve("catalog.yml");
		Files.writeString(catalog, PipelineBench.catalog(targets));
		this.kafka.recreate(new HashSet<>(Topics.all()), 6);
		// Snapshots of another log would not fit this one; each service makes its topic.
		this.kafka.delete(Stack.SERVICES.stream().map(Snapshots::topic).collect(Collectors.toSet()));
		try (OutsideStubs outside = OutsideStubs.unjournaled()) {
			this.stack.with(catalog, outside.serviceArgs(), OutsideStubs.serviceEnv());
			// What a start costs with nothing to read: the rest of a start is the log.
			for (String service : Stack.SERVICES) {
				figures.put("history_" + service + "_empty_ready_s", startAlone(service));
				this.stack.stop(service, this.log);
			}
			// Each service had handled the history when it stops: a group that committed
			// the end of an empty log would make all of it work left undone.
			forgetGroups();
			long start = System.nanoTime();
			long events = produce(deploys, targets);
			figures.put("history_deploys", deploys);
			figures.put("history_events", events);
			figures.put("history_produce_events_per_s", events / seconds(start));
			double bare = bare(Topics.pipeline(), events);
			figures.put("history_bare_events_per_s", bare);
			boolean met = true;
			for (String service : Stack.SERVICES) {
				figures.put("history_" + service + "_ready_s", startAlone(service));
				double rebuild = rebuildSeconds(service);
				long read = READS.get(service).equals(Topics.pipeline()) ? events : deploys;
				figures.put("history_" + service + "_rebuild_s", rebuild);
				figures.put("history_" + service + "_rebuild_events_per_s", read / rebuild);
				figures.put("history_" + service + "_rebuild_over_bare", read / rebuild / bare);
				met &= read / rebuild / bare >= 0.5;
			}
			// Each service snapshots its partitions once it has caught up; a restart then
			// reads the snapshots and only the records after them.
			for (String service : Stack.SERVICES) {
				awaitSnapshots(service);
				this.stack.stop(service, this.log);
				figures.put("history_" + service + "_ready_with_snapshots_s", startAlone(service));
				double rebuild = rebuildSeconds(service);
				long read = READS.get(service).equals(Topics.pipeline()) ? events : deploys;
				figures.put("history_" + service + "_rebuild_with_snapshots_s", rebuild);
				figures.put("history_" + service + "_effective_rebuild_with_snapshots_over_bare",
						read / rebuild / bare);
			}
			// Every service up beside the others, as in production: what each holds.
			for (String service : Stack.SERVICES) {
				long fullGcs = Footprint.fullGcs(this.stack, service);
				collect(service);
				long heap = Footprint.heapMb(this.stack, service);
				figures.put("history_" + service + "_heap_after_start_mb", heap);
				figures.put("history_" + service + "_full_gcs", fullGcs);
				met &= heap <= 256 && fullGcs == 0;
			}
			figures.put("history_target_rebuild_over_bare", 0.5);
			figures.put("history_target_heap_mb", 256);
			figures.put("history_target_met", met);
			for (String service : Stack.SERVICES) {
				this.stack.stop(service, this.log);
			}
		}
	}

	private void forgetGroups() throws Exception {
		try (Admin admin = Admin.create(this.kafka.config())) {
			List<String> groups = admin.listGroups()
				.all()
				.get(30, TimeUnit.SECONDS)
				.stream()
				.map(GroupListing::groupId)
				.toList();
			admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
		}
	}

	/** Until the service has written a snapshot of every partition. */
	private void awaitSnapshots(String service) throws Exception {
		String topic = Snapshots.topic(service);
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		try (KafkaConsumer<String, byte[]> consumer = this.kafka.consumer(topic, true)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			while (consumer.endOffsets(partitions).values().stream().anyMatch((end) -> end == 0)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(service + " wrote no snapshot of some partition in 2 minutes");
				}
				Thread.sleep(500);
			}
		}
	}

	/** Seconds from launch to ready. */
	private double startAlone(String service) throws Exception {
		long start = System.nanoTime();
		this.stack.start(service, this.log);
		this.stack.awaitReady(service, READY_WITHIN);
		return seconds(start);
	}

	/**
	 * From the first read of the log to the last "caught up", as the running instance's
	 * own log lines time them: the rebuild alone, without the JVM's and Spring's start.
	 */
	private double rebuildSeconds(String service) throws Exception {
		String pid = " " + this.stack.process(service).orElseThrow().pid() + " --- ";
		List<String> lines = Files.readAllLines(this.stack.log(service))
			.stream()
			.filter((line) -> line.contains(pid))
			.toList();
		Instant first = lines.stream()
			.filter((line) -> line.contains("reader: reading") || line.contains("replaying") || line.contains("given"))
			.map(HistoryBench::timeOf)
			.min(Instant::compareTo)
			.orElseThrow(() -> new IllegalStateException(service + " logged no read of the log"));
		Instant last = lines.stream()
			.filter((line) -> line.contains("caught up"))
			.map(HistoryBench::timeOf)
			.max(Instant::compareTo)
			.orElseThrow(() -> new IllegalStateException(service + " logged no catch-up"));
		return Math.max(Duration.between(first, last).toMillis(), 1) / 1000.0;
	}

	private static Instant timeOf(String line) {
		return Instant.parse(line.substring(0, line.indexOf(' ')));
	}

	/** A full collection in the service (jcmd), so its heap in use is what it holds. */
	private void collect(String service) throws Exception {
		long pid = this.stack.process(service).orElseThrow().pid();
		Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (jcmd.waitFor() != 0) {
			throw new IllegalStateException("jcmd " + pid + " GC.run failed");
		}
	}

	/**
	 * Deploys of five events each, spread over the targets, as the services write them.
	 */
	private long produce(int deploys, List<Target> targets) throws Exception {
		EventCodec codec = EventCodec.standard();
		Instant at = Instant.parse("2024-01-01T00:00:00Z");
		long sent = 0;
		try (KafkaProducer<String, byte[]> producer = this.kafka.producer()) {
			for (int n = 0; n < deploys; n++) {
				Target target = targets.get(n % targets.size());
				String sha = String.format("%040x", n);
				for (PipelineEvent event : SampleEvents.deploy("d-history-" + n, target, sha,
						at.plusSeconds(60L * n))) {
					var record = EventMapping.toAvro(event);
					producer.send(new ProducerRecord<>(Topics.topicOf(record.getClass()), target.toString(),
							codec.encode(record)));
					sent++;
				}
			}
			producer.flush();
		}
		return sent;
	}

	/** Every record of the topics fetched and nothing more; events per second. */
	private double bare(List<String> topics, long events) {
		long start = System.nanoTime();
		long seen = 0;
		try (KafkaConsumer<String, byte[]> consumer = this.kafka.consumer(topics.get(0), true)) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : topics) {
				for (PartitionInfo info : consumer.partitionsFor(topic)) {
					partitions.add(new TopicPartition(topic, info.partition()));
				}
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			Set<TopicPartition> reading = new HashSet<>(partitions);
			long deadline = System.nanoTime() + READY_WITHIN.toNanos();
			while (!reading.isEmpty()) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("the bare consumer read " + seen + " of " + events + " events");
				}
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.value().length > 0) {
						seen++;
					}
				}
				reading.removeIf((partition) -> consumer.position(partition) >= ends.get(partition));
			}
		}
		return seen / seconds(start);
	}

	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

}
