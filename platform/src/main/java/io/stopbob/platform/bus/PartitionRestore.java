package io.stopbob.platform.bus;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;

/**
 * Where a consumer stands in each partition it was given, and what it may commit.
 * <p>
 * On assignment each partition is read again from the beginning, and every record is
 * classed by its offset against two marks taken then: the committed position (records
 * before it were handled before: {@link Mode#REPLAY}, state only) and the end of the log
 * ({@link Mode#UNCERTAIN} up to it: the previous owner may have done their side effects
 * without committing; {@link Mode#LIVE} after it). The assignment is replayed once the
 * consumer's position has reached the end mark in every partition, measured before each
 * poll, when every record fetched has been handed on or skipped; so a record that never
 * reaches the listener (a dead letter, a compacted offset) cannot hold the replay back.
 * <p>
 * Work handed on finishes out of order (targets run side by side), so commits follow the
 * lowest record of each partition that is not done yet: a crash never skips work, it only
 * repeats what was done after that record, as {@link Mode#UNCERTAIN}.
 * <p>
 * A group that has never committed a partition gets the partition's end committed at
 * assignment (Spring Kafka does this for {@code auto.offset.reset=latest}, before the
 * seek to the beginning): what was there is history, and what comes while the service is
 * down is not.
 */
public final class PartitionRestore {

	private static final Logger log = LoggerFactory.getLogger(PartitionRestore.class);

	/**
	 * The listener properties that go with this class: commits are its own, a new group
	 * starts at the end.
	 */
	public static final String MANUAL_COMMIT = "enable.auto.commit=false";

	/** See the class comment: without a committed position, the past is history. */
	public static final String NEW_GROUP_STARTS_AT_END = "auto.offset.reset=latest";

	/**
	 * How long giving a partition up waits for its last commit: a broker that is gone
	 * must not hold a shutdown (the next owner repeats the work, looking first).
	 */
	private static final Duration GIVE_UP_COMMIT = Duration.ofSeconds(5);

	private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

	/**
	 * False until the group has handed this consumer partitions: before that there is
	 * nothing replayed, which is not the same as nothing to replay.
	 */
	private volatile boolean assigned;

	/**
	 * Takes the partitions over: where each was handed over ({@code positions}) and where
	 * its log ended ({@code ends}); with a {@code callback}, seeks them to the beginning
	 * (to replay them). Consumer thread.
	 */
	public void assigned(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> ends,
			ConsumerSeekCallback callback) {
		assigned(positions, ends, callback, Map.of());
	}

	/**
	 * As {@link #assigned(Map, Map, ConsumerSeekCallback)}, but the partitions in
	 * {@code starts} (restored from a snapshot, at or before their position) are read
	 * from there rather than from the beginning.
	 */
	public void assigned(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> ends,
			ConsumerSeekCallback callback, Map<TopicPartition, Long> starts) {
		positions.forEach((partition, position) -> this.partitions.put(partition,
				new Partition(position, Math.max(position, ends.getOrDefault(partition, position)))));
		if (callback != null) {
			Set<TopicPartition> fromTheBeginning = new HashSet<>();
			positions.keySet().forEach((partition) -> {
				Long start = starts.get(partition);
				if (start != null) {
					callback.seek(partition.topic(), partition.partition(), start);
				}
				else {
					fromTheBeginning.add(partition);
				}
			});
			if (!fromTheBeginning.isEmpty()) {
				// Never with none: the consumer reads that as all of them.
				callback.seekToBeginning(fromTheBeginning);
			}
		}
		this.assigned = true;
	}

	/**
	 * Gives the partitions up, committing what is done in them first. Consumer thread.
	 */
	public void revoked(Collection<TopicPartition> revoked, Consumer<?, ?> consumer) {
		for (TopicPartition partition : revoked) {
			Partition given = this.partitions.remove(partition);
			if (given != null && consumer != null && given.committable() > given.committed) {
				try {
					consumer.commitSync(Map.of(partition, new OffsetAndMetadata(given.committable())), GIVE_UP_COMMIT);
				}
				catch (KafkaException ex) {
					log.warn("could not commit {} at {} on giving it up; its next owner repeats from {}", partition,
							given.committable(), given.committed, ex);
				}
			}
		}
		if (this.partitions.isEmpty()) {
			this.assigned = false;
		}
	}

	public Mode classify(ConsumerRecord<?, ?> record) {
		Partition partition = this.partitions.get(partitionOf(record));
		if (partition == null || record.offset() >= partition.end) {
			return Mode.LIVE;
		}
		return (record.offset() < partition.liveFrom) ? Mode.REPLAY : Mode.UNCERTAIN;
	}

	/**
	 * Before a poll (consumer thread): marks the partitions whose position has reached
	 * their end mark as replayed, and commits what is done.
	 * @return whether every assigned partition is replayed now
	 */
	public boolean beforePoll(Consumer<?, ?> consumer) {
		this.partitions.forEach((partition, given) -> {
			if (!given.replayed) {
				try {
					given.replayed = consumer.position(partition) >= given.end;
				}
				catch (IllegalStateException | KafkaException ex) {
					log.debug("position of {} unknown yet: {}", partition, ex.getMessage());
				}
			}
		});
		commit(consumer);
		return caughtUp();
	}

	/**
	 * True once partitions were assigned and every one has been read up to where its log
	 * ended at assignment.
	 */
	public boolean caughtUp() {
		return this.assigned && this.partitions.values().stream().allMatch((partition) -> partition.replayed);
	}

	/** Whether the group has handed this consumer partitions. */
	public boolean hasAssignment() {
		return this.assigned;
	}

	/** The partitions assigned now. */
	public Set<TopicPartition> assigned() {
		return this.partitions.keySet();
	}

	/**
	 * The partition numbers assigned (the same for every topic: they are co-partitioned).
	 */
	public Set<Integer> assignedNumbers() {
		return this.partitions.keySet().stream().map(TopicPartition::partition).collect(Collectors.toSet());
	}

	/**
	 * Whether the partition, read up to {@code position}, is replayed and committed
	 * there: no work of it is pending.
	 */
	public boolean settled(TopicPartition partition, long position) {
		Partition given = this.partitions.get(partition);
		return given != null && given.replayed && given.committed >= position && given.committable() >= position;
	}

	/** Whether this partition has been read up to its end mark. */
	public boolean replayed(TopicPartition partition) {
		Partition given = this.partitions.get(partition);
		return given != null && given.replayed;
	}

	/**
	 * Per partition, how far the replay has come: {@code position/end}, for health
	 * details.
	 */
	public Map<String, String> progress() {
		Map<String, String> progress = new TreeMap<>();
		this.partitions.forEach((partition, given) -> progress.put(partition.toString(),
				given.replayed ? "replayed" : "replaying up to offset " + given.end));
		return progress;
	}

	/**
	 * A record handed on to be worked on; it holds the commit back until its handle says
	 * it is done. Consumer thread.
	 */
	public Handle track(ConsumerRecord<?, ?> record) {
		Partition partition = this.partitions.get(partitionOf(record));
		if (partition != null) {
			synchronized (partition) {
				partition.work.putIfAbsent(record.offset(), Boolean.FALSE);
			}
		}
		return new Handle(partition, record.offset());
	}

	/** Whether the record is tracked and its work not done. */
	public boolean awaits(ConsumerRecord<?, ?> record) {
		Partition partition = this.partitions.get(partitionOf(record));
		if (partition == null) {
			return false;
		}
		synchronized (partition) {
			return Boolean.FALSE.equals(partition.work.get(record.offset()));
		}
	}

	/**
	 * A record that never reached the listener (dead-lettered by the error handler) is
	 * done. Consumer thread.
	 */
	public void done(ConsumerRecord<?, ?> record) {
		Partition partition = this.partitions.get(partitionOf(record));
		if (partition != null) {
			partition.done(record.offset());
		}
	}

	/** Records handed on and not yet committed: those not done, and those behind them. */
	public int pending(TopicPartition partition) {
		Partition given = this.partitions.get(partition);
		if (given == null) {
			return 0;
		}
		synchronized (given) {
			return given.work.size();
		}
	}

	private void commit(Consumer<?, ?> consumer) {
		this.partitions.forEach((partition, given) -> {
			long committable = given.committable();
			if (committable > given.committed && committable != given.committing) {
				given.committing = committable;
				consumer.commitAsync(Map.of(partition, new OffsetAndMetadata(committable)), (offsets, failure) -> {
					if (failure == null) {
						given.committed = Math.max(given.committed, committable);
					}
					else {
						log.debug("commit of {} at {} failed, tried again before the next poll: {}", partition,
								committable, failure.getMessage());
						given.committing = -1;
					}
				});
			}
		});
	}

	private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
		return new TopicPartition(record.topic(), record.partition());
	}

	/** One assigned partition: its marks, and its work in flight by offset. */
	private static final class Partition {

		private final long liveFrom;

		private final long end;

		private volatile boolean replayed;

		/** Offsets handed on, and whether each is done; guarded by the partition. */
		private final TreeMap<Long, Boolean> work = new TreeMap<>();

		/** Everything below is done; guarded by the partition. */
		private long done;

		private volatile long committed;

		private volatile long committing = -1;

		Partition(long liveFrom, long end) {
			this.liveFrom = liveFrom;
			this.end = end;
			this.done = liveFrom;
			this.committed = liveFrom;
			this.replayed = end <= 0;
		}

		/** The first offset not done yet. */
		synchronized long committable() {
			return this.work.isEmpty() ? this.done : Math.min(this.done, this.work.firstKey());
		}

		synchronized void done(long offset) {
			if (offset >= this.done) {
				this.work.put(offset, Boolean.TRUE);
			}
			while (!this.work.isEmpty() && this.work.firstEntry().getValue()) {
				this.done = this.work.pollFirstEntry().getKey() + 1;
			}
		}

	}

	/**
	 * A record's place in the assignment that tracked it: done there, whichever thread
	 * says so. If the partition was given up meanwhile, that changes nothing; its next
	 * owner does the work again, looking first.
	 */
	public static final class Handle {

		private final Partition partition;

		private final long offset;

		private Handle(Partition partition, long offset) {
			this.partition = partition;
			this.offset = offset;
		}

		public void done() {
			if (this.partition != null) {
				this.partition.done(this.offset);
			}
		}

	}

	/** How a record is to be handled. */
	public enum Mode {

		/** Handled before: restore state from it, no side effects. */
		REPLAY,

		/** Maybe handled before, maybe not: look for the side effect before making it. */
		UNCERTAIN,

		/** New: handle it. */
		LIVE

	}

}
