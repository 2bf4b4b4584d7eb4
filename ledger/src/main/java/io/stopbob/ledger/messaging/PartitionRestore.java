package io.stopbob.ledger.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Restores a consumer's per-target state when it is given partitions: each assigned
 * partition is read again from the beginning, and every record is classed by its offset
 * against the committed position the consumer was handed. Records before it were fully
 * handled before (a restart or a rebalance): replay them into state, repeat no side
 * effect. The record at it may have had its side effect without its commit (a crash in
 * between): look for the earlier result first. The rest are new.
 * <p>
 * A consumer group that has never committed starts live at the end of each partition
 * ({@link #NEW_GROUP_STARTS_AT_END}): the history before it is replayed for state, never
 * acted on, so a new service (or a renamed group) does not tag, post or roll out the past
 * again.
 * <p>
 * The listener must commit only what it handled live ({@code AckMode.MANUAL_IMMEDIATE},
 * acking live records), so a replay never moves a committed position back.
 */
public class PartitionRestore implements ConsumerSeekAware {

	/**
	 * The listener properties that go with this class: commit by hand, a new group starts
	 * at the end.
	 */
	public static final String MANUAL_COMMIT = "enable.auto.commit=false";

	/** See the class comment: without a committed position, the past is history. */
	public static final String NEW_GROUP_STARTS_AT_END = "auto.offset.reset=latest";

	private final Map<TopicPartition, Long> liveFrom = new ConcurrentHashMap<>();

	private final Set<TopicPartition> awaitingFirstLive = ConcurrentHashMap.newKeySet();

	private final Map<TopicPartition, Long> replayedTo = new ConcurrentHashMap<>();

	/**
	 * False until the group has handed this consumer its partitions: before that there is
	 * nothing replayed, which is not the same as nothing to replay.
	 */
	private volatile boolean assigned;

	/**
	 * New records that came while a replay was still running; only touched by the
	 * consumer thread.
	 */
	private final List<Held> held = new ArrayList<>();

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		assignments.forEach((partition, position) -> {
			this.liveFrom.put(partition, position);
			this.replayedTo.remove(partition);
			if (position > 0) {
				this.awaitingFirstLive.add(partition);
			}
		});
		callback.seekToBeginning(assignments.keySet());
		this.assigned = true;
	}

	/**
	 * Hands the record to the handler with its mode, holding new records back until the
	 * replay of every assigned partition is done; acks each record handled live.
	 */
	public <K, V> void accept(ConsumerRecord<K, V> record, Acknowledgment ack,
			BiConsumer<ConsumerRecord<K, V>, Mode> handler) {
		Mode mode = classify(record);
		if (mode == Mode.REPLAY) {
			handler.accept(record, mode);
		}
		else if (caughtUp() && this.held.isEmpty()) {
			handler.accept(record, mode);
			ack.acknowledge();
		}
		else {
			this.held.add(new Held(record, ack, mode));
		}
		if (!this.held.isEmpty() && caughtUp()) {
			List<Held> ready = List.copyOf(this.held);
			this.held.clear();
			for (Held waiting : ready) {
				@SuppressWarnings("unchecked")
				ConsumerRecord<K, V> waitingRecord = (ConsumerRecord<K, V>) waiting.record();
				handler.accept(waitingRecord, waiting.mode());
				waiting.ack().acknowledge();
			}
		}
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		// Held records are not acked, so the partitions' next owner gets them again.
		this.held.removeIf((waiting) -> partitions
			.contains(new TopicPartition(waiting.record().topic(), waiting.record().partition())));
		partitions.forEach((partition) -> {
			this.liveFrom.remove(partition);
			this.awaitingFirstLive.remove(partition);
			this.replayedTo.remove(partition);
		});
		if (this.liveFrom.isEmpty()) {
			this.assigned = false;
		}
	}

	public Mode classify(ConsumerRecord<?, ?> record) {
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		long from = this.liveFrom.getOrDefault(partition, 0L);
		if (record.offset() < from) {
			this.replayedTo.put(partition, record.offset());
			return Mode.REPLAY;
		}
		if (this.awaitingFirstLive.remove(partition)) {
			this.replayedTo.put(partition, from - 1);
			return (record.offset() == from) ? Mode.UNCERTAIN : Mode.LIVE;
		}
		return Mode.LIVE;
	}

	/**
	 * True once partitions were assigned and every one has been replayed up to where it
	 * was handed over.
	 */
	public boolean caughtUp() {
		return this.assigned && this.liveFrom.entrySet()
			.stream()
			.allMatch((entry) -> entry.getValue() == 0
					|| this.replayedTo.getOrDefault(entry.getKey(), -1L) >= entry.getValue() - 1);
	}

	private record Held(ConsumerRecord<?, ?> record, Acknowledgment ack, Mode mode) {
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
