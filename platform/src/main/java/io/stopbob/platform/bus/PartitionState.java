package io.stopbob.platform.bus;

import java.util.function.Predicate;

/**
 * A listener's state, as {@link Snapshots} take and restore it one partition at a time:
 * the keys of a partition (targets, people) are those {@code ofPartition} accepts.
 */
public interface PartitionState {

	/**
	 * No state to snapshot, only where to read on from: for a listener whose state
	 * matters only for records its work may not have done, which are read again anyway.
	 */
	PartitionState OFFSETS_ONLY = new PartitionState() {

		@Override
		public Snapshots.State snapshot(Predicate<String> ofPartition) {
			return Snapshots.State.EMPTY;
		}

		@Override
		public void restore(Snapshots.State state) {
		}

		@Override
		public void clear(Predicate<String> ofPartition) {
		}

	};

	/**
	 * What rebuilds the state of the partition's keys. Called on the thread that applies
	 * records, between them.
	 */
	Snapshots.State snapshot(Predicate<String> ofPartition);

	/**
	 * Applies a snapshot read back, into state {@link #clear cleared} of its partition.
	 */
	void restore(Snapshots.State state);

	/**
	 * Forgets the state of the partition's keys: it is about to be restored or replayed,
	 * and what is held of it may be behind (another instance owned it meanwhile), so
	 * nothing old is applied onto newer state.
	 */
	void clear(Predicate<String> ofPartition);

}
