package io.stopbob.platform.bus;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every partition of a service's topics, read by this instance into its read models: a
 * consumer of no group, assigned all partitions, from the beginning, committing nothing.
 * So every instance of the service holds every target, whichever partitions the group
 * gave it; the group's consumer beside it does the work, for its own partitions only (see
 * {@link RestoringListener}), and hands each record's work on only once this reader has
 * applied the record ({@link #whenApplied}).
 * <p>
 * Caught up once its position has reached, in every partition, where the log ended when
 * it started; until then whatever answers people says "catching up". A record that cannot
 * be decoded or applied is skipped here (logged): it is the owner's to dead-letter.
 * Records waiting for the reader are bounded by the group consumer's
 * {@code stop.bus.lanes.max-pending} per partition, since they hold its commits.
 * <p>
 * Each partition starts from its newest snapshot ({@link Snapshots}) where one fits
 * within the log, and the reader writes the snapshots of the partitions its instance owns
 * every {@code stop.bus.snapshot-every} records.
 */
public final class LogReader {

	private static final Logger log = LoggerFactory.getLogger(LogReader.class);

	private static final Duration POLL = Duration.ofMillis(500);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final String name;

	private final List<String> topics;

	private final Map<String, Object> configs;

	private final Consumer<ConsumerRecord<String, SpecificRecord>> apply;

	/** The next offset to apply, per partition. */
	private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();

	/** Where each partition ended when the reader started; empty until it knows. */
	private final Map<TopicPartition, Long> ends = new ConcurrentHashMap<>();

	/** Work waiting for its record to be applied, per partition, in offset order. */
	private final Map<TopicPartition, ArrayDeque<Waiting>> waiting = new HashMap<>();

	private volatile boolean caughtUp;

	private volatile boolean running;

	/** Set and cleared by the reader's thread; woken from stop(). */
	private volatile KafkaConsumer<String, SpecificRecord> consumer;

	private Thread thread;

	private final Snapshots snapshots;

	private final PartitionState state;

	/** The partitions whose snapshots this instance writes: the group gave it them. */
	private final IntPredicate keeps;

	/** Partitions per topic; reader thread. */
	private int partitionCount;

	/**
	 * Per partition number, the sum of its topics' offsets at the last snapshot (or the
	 * restore); reader thread, one entry per partition.
	 */
	private final Map<Integer, Long> snapshotAt = new HashMap<>();

	LogReader(String name, List<String> topics, Map<String, Object> consumerConfigs,
			Consumer<ConsumerRecord<String, SpecificRecord>> apply, Snapshots snapshots, PartitionState state,
			IntPredicate keeps) {
		this.name = name;
		this.topics = List.copyOf(topics);
		// No group: every partition, assigned by hand.
		this.configs = LogReaders.groupless(consumerConfigs, name + "-reader");
		this.apply = apply;
		this.snapshots = snapshots;
		this.state = state;
		this.keeps = keeps;
	}

	/** True once every partition was read up to where it ended at start. */
	public boolean caughtUp() {
		return this.caughtUp;
	}

	/** Per partition, how far the reader has come, for health details. */
	public Map<String, String> progress() {
		Map<String, String> progress = new TreeMap<>();
		if (this.ends.isEmpty()) {
			progress.put(this.name, "waiting for the broker");
		}
		this.ends.forEach((partition, end) -> {
			long at = this.applied.getOrDefault(partition, 0L);
			progress.put(partition.toString(), (at >= end) ? "read" : "reading " + at + " of " + end);
		});
		return progress;
	}

	/**
	 * Runs {@code then} once this reader has caught up and applied the record at
	 * {@code offset}, after anything waiting before it in the partition; at once if it
	 * has. {@code then} runs on the caller's thread or the reader's: keep it short.
	 */
	public void whenApplied(TopicPartition partition, long offset, Object owner, Runnable then) {
		synchronized (this.waiting) {
			ArrayDeque<Waiting> queue = this.waiting.computeIfAbsent(partition, (key) -> new ArrayDeque<>());
			if (queue.isEmpty() && passed(partition, offset)) {
				then.run();
			}
			else {
				queue.add(new Waiting(partition, offset, owner, then));
			}
		}
	}

	/** Forgets waiting work, e.g. of partitions the group took away. */
	public void drop(Predicate<Waiting> which) {
		synchronized (this.waiting) {
			this.waiting.values().forEach((queue) -> queue.removeIf(which));
		}
	}

	synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.thread = new Thread(this::run, this.name + "-reader");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	synchronized void stop() {
		this.running = false;
		KafkaConsumer<?, ?> open = this.consumer;
		if (open != null) {
			open.wakeup();
		}
		if (this.thread != null) {
			try {
				this.thread.join(Duration.ofSeconds(10).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void run() {
		Duration backoff = Duration.ofSeconds(1);
		try (KafkaConsumer<String, SpecificRecord> reader = new KafkaConsumer<>(this.configs)) {
			this.consumer = reader;
			while (this.running) {
				try {
					if (this.ends.isEmpty()) {
						assignAll(reader);
					}
					for (ConsumerRecord<String, SpecificRecord> record : reader.poll(POLL)) {
						applyOne(record);
					}
					advance(reader);
					backoff = Duration.ofSeconds(1);
				}
				catch (WakeupException ex) {
					// stop() asked for it.
				}
				catch (KafkaException ex) {
					// The broker away or refusing: the reader waits and reads on; answers
					// that need it say "catching up" meanwhile if it never caught up.
					log.warn("{} reader: {}; trying again in {} s", this.name, ex.getMessage(), backoff.toSeconds());
					sleep(backoff);
					backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
							: backoff.multipliedBy(2);
				}
			}
		}
		finally {
			this.consumer = null;
		}
	}

	private void assignAll(KafkaConsumer<String, SpecificRecord> reader) {
		List<TopicPartition> partitions = new ArrayList<>();
		for (String topic : this.topics) {
			List<PartitionInfo> infos = reader.partitionsFor(topic);
			if (infos == null || infos.isEmpty()) {
				throw new KafkaException(topic + " has no partitions yet");
			}
			infos.forEach((info) -> partitions.add(new TopicPartition(topic, info.partition())));
		}
		this.partitionCount = reader.partitionsFor(this.topics.get(0)).size();
		reader.assign(partitions);
		Map<TopicPartition, Long> endOffsets = reader.endOffsets(partitions);
		Map<TopicPartition, Long> starts = restore(reader, partitions, endOffsets);
		List<TopicPartition> fromTheBeginning = partitions.stream()
			.filter((partition) -> !starts.containsKey(partition))
			.toList();
		starts.forEach(reader::seek);
		if (!fromTheBeginning.isEmpty()) {
			reader.seekToBeginning(fromTheBeginning);
		}
		partitions.forEach((partition) -> this.applied.put(partition, starts.getOrDefault(partition, 0L)));
		this.ends.putAll(endOffsets);
		log.info("{} reader: reading {} partitions of {}, {} of them from a snapshot", this.name, partitions.size(),
				this.topics, starts.size());
	}

	/**
	 * Restores each partition number from its newest snapshot, where it fits within the
	 * log as it is now. Returns where to read on from.
	 */
	private Map<TopicPartition, Long> restore(KafkaConsumer<String, SpecificRecord> reader,
			List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
		Map<TopicPartition, Long> starts = new HashMap<>();
		if (!this.snapshots.enabled()) {
			return starts;
		}
		Map<Integer, Map<TopicPartition, Long>> byNumber = new TreeMap<>();
		partitions.forEach((partition) -> byNumber.computeIfAbsent(partition.partition(), (key) -> new HashMap<>())
			.put(partition, ends.get(partition)));
		Map<Integer, Snapshots.Taken> found = this.snapshots.read(byNumber.keySet());
		Map<TopicPartition, Long> beginnings = found.isEmpty() ? Map.of() : reader.beginningOffsets(partitions);
		byNumber.forEach((number, limits) -> {
			Snapshots.Taken taken = found.get(number);
			Map<TopicPartition, Long> fit = (taken != null) ? taken.startsWithin(limits, beginnings).orElse(null)
					: null;
			if (fit != null) {
				this.state.restore(taken.state());
				starts.putAll(fit);
			}
			else if (taken != null) {
				log.info("{} reader: the snapshot of partition {} is past the log ({}): replayed", this.name, number,
						taken.offsets());
			}
			this.snapshotAt.put(number, (fit != null) ? fit.values().stream().mapToLong(Long::longValue).sum() : 0L);
		});
		return starts;
	}

	/**
	 * Writes the snapshot of each partition this instance keeps that has read
	 * {@code stop.bus.snapshot-every} records since its last.
	 */
	private void snapshotWhereDue() {
		if (!this.snapshots.enabled() || !this.caughtUp) {
			return;
		}
		for (int number = 0; number < this.partitionCount; number++) {
			if (!this.keeps.test(number)) {
				continue;
			}
			Map<String, Long> offsets = new HashMap<>();
			long read = 0;
			for (String topic : this.topics) {
				long position = this.applied.getOrDefault(new TopicPartition(topic, number), 0L);
				offsets.put(topic, position);
				read += position;
			}
			if (read - this.snapshotAt.getOrDefault(number, 0L) >= this.snapshots.every()) {
				int partition = number;
				int count = this.partitionCount;
				this.snapshots.write(number, offsets,
						this.state.snapshot((key) -> RestoringListener.partitionOf(key, count) == partition));
				this.snapshotAt.put(number, read);
			}
		}
	}

	private void applyOne(ConsumerRecord<String, SpecificRecord> record) {
		if (record.value() == null) {
			log.debug("{} reader: skipped {}-{}@{} (no value, or not decodable)", this.name, record.topic(),
					record.partition(), record.offset());
			return;
		}
		try {
			this.apply.accept(record);
		}
		catch (RuntimeException ex) {
			log.warn("{} reader: skipped {}-{}@{}: {}", this.name, record.topic(), record.partition(), record.offset(),
					ex.toString());
		}
	}

	/** After a poll: the positions reached, catch-up, and the work they release. */
	private void advance(KafkaConsumer<String, SpecificRecord> reader) {
		for (TopicPartition partition : reader.assignment()) {
			this.applied.put(partition, reader.position(partition));
		}
		if (!this.caughtUp && !this.ends.isEmpty()
				&& this.ends.entrySet()
					.stream()
					.allMatch((end) -> this.applied.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
			this.caughtUp = true;
			log.info("{} reader: caught up with {} partitions", this.name, this.ends.size());
		}
		snapshotWhereDue();
		synchronized (this.waiting) {
			this.waiting.forEach((partition, queue) -> {
				while (!queue.isEmpty() && passed(partition, queue.peek().offset())) {
					queue.poll().then().run();
				}
			});
		}
	}

	private boolean passed(TopicPartition partition, long offset) {
		return this.caughtUp && this.applied.getOrDefault(partition, 0L) > offset;
	}

	private void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	/** Work of the owner's record, waiting for this reader to apply it. */
	public record Waiting(TopicPartition partition, long offset, Object owner, Runnable then) {
	}

}
