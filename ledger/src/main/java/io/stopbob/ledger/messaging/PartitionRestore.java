package io.stopbob.ledger.messaging;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.listener.ConsumerSeekAware;

/**
 * Restores a consumer's per-target state when it is given partitions: each assigned
 * partition is read again from the beginning, and every record is classed by its offset
 * against the committed position the consumer was handed. Records before it were fully
 * handled before (a restart or a rebalance): replay them into state, repeat no side
 * effect. The record at it may have had its side effect without its commit (a crash in
 * between): look for the earlier result first. The rest are new.
 * <p>
 * The listener must commit only what it handled live ({@code AckMode.MANUAL_IMMEDIATE},
 * acking live records), so a replay never moves a committed position back.
 */
public class PartitionRestore implements ConsumerSeekAware {

	private final Map<TopicPartition, Long> liveFrom = new ConcurrentHashMap<>();

	private final Set<TopicPartition> awaitingFirstLive = ConcurrentHashMap.newKeySet();

	private final Map<TopicPartition, Long> replayedTo = new ConcurrentHashMap<>();

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
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		partitions.forEach((partition) -> {
			this.liveFrom.remove(partition);
			this.awaitingFirstLive.remove(partition);
			this.replayedTo.remove(partition);
		});
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
	 * True once every assigned partition has been replayed up to where it was handed
	 * over.
	 */
	public boolean caughtUp() {
		return this.liveFrom.entrySet()
			.stream()
			.allMatch((entry) -> entry.getValue() == 0
					|| this.replayedTo.getOrDefault(entry.getKey(), -1L) >= entry.getValue() - 1);
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
