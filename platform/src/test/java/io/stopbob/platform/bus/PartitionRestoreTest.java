package io.stopbob.platform.bus;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stopbob.platform.bus.PartitionRestore.Mode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class PartitionRestoreTest {

	private static final TopicPartition REQUESTS = new TopicPartition("deploy-requested", 0);

	private static final TopicPartition FINISHED = new TopicPartition("deploy-finished", 0);

	private final PartitionRestore restore = new PartitionRestore();

	private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");

	private final ConsumerSeekCallback seeks = mock(ConsumerSeekCallback.class);

	@BeforeEach
	void assign() {
		this.consumer.assign(List.of(REQUESTS, FINISHED));
		// Handed over at offset 2 of deploy-requested, whose log ended at 4, and at 1 of
		// deploy-finished, which ended there.
		this.restore.assigned(Map.of(REQUESTS, 2L, FINISHED, 1L), Map.of(REQUESTS, 4L, FINISHED, 1L), this.seeks);
		this.consumer.seek(REQUESTS, 0);
		this.consumer.seek(FINISHED, 0);
	}

	@Test
	void everyAssignedPartitionIsReadAgainFromTheBeginning() {
		verify(this.seeks).seekToBeginning(Set.of(REQUESTS, FINISHED));
	}

	@Test
	void recordsBeforeTheHandOverReplayThoseUpToTheEndAtAssignmentAreUncertainAndLaterOnesLive() {
		assertThat(List.of(record(REQUESTS, 1), record(REQUESTS, 2), record(REQUESTS, 3), record(REQUESTS, 4),
				record(FINISHED, 0), record(FINISHED, 1)))
			.extracting(this.restore::classify)
			.containsExactly(Mode.REPLAY, Mode.UNCERTAIN, Mode.UNCERTAIN, Mode.LIVE, Mode.REPLAY, Mode.LIVE);
	}

	@Test
	void theAssignmentIsReplayedWhenThePositionReachesTheEndInEveryPartitionWhateverReachedTheListener() {
		assertThat(this.restore.beforePoll(this.consumer)).isFalse();

		// Offset 3 was dead-lettered, never handed on: the position says it is passed.
		this.consumer.seek(REQUESTS, 4);
		assertThat(this.restore.beforePoll(this.consumer)).as("deploy-finished is not read yet").isFalse();

		this.consumer.seek(FINISHED, 1);
		assertThat(this.restore.beforePoll(this.consumer)).isTrue();
		assertThat(this.restore.caughtUp()).isTrue();
	}

	@Test
	void commitsFollowTheLowestRecordWhoseWorkIsNotDone() {
		this.consumer.seek(REQUESTS, 7);
		PartitionRestore.Handle four = this.restore.track(record(REQUESTS, 4));
		PartitionRestore.Handle five = this.restore.track(record(REQUESTS, 5));
		PartitionRestore.Handle six = this.restore.track(record(REQUESTS, 6));

		five.done();
		six.done();
		this.restore.beforePoll(this.consumer);
		assertThat(committed(REQUESTS)).as("4 is still being worked on").isNull();
		assertThat(this.restore.pending(REQUESTS)).isEqualTo(3);

		four.done();
		this.restore.beforePoll(this.consumer);
		assertThat(committed(REQUESTS)).isEqualTo(7);
		assertThat(this.restore.pending(REQUESTS)).isZero();
	}

	@Test
	void aDeadLetteredRecordThatWasNeverHandedOnCountsAsDone() {
		this.restore.track(record(REQUESTS, 4)).done();
		this.restore.done(record(REQUESTS, 5));

		this.restore.beforePoll(this.consumer);

		assertThat(committed(REQUESTS)).isEqualTo(6);
	}

	@Test
	void aPartitionGivenUpCommitsWhatIsDoneAndItsLateWorkChangesNothingInTheNextAssignment() {
		this.restore.track(record(REQUESTS, 4)).done();
		PartitionRestore.Handle late = this.restore.track(record(REQUESTS, 5));

		this.restore.revoked(List.of(REQUESTS), this.consumer);
		assertThat(committed(REQUESTS)).isEqualTo(5);

		this.restore.assigned(Map.of(REQUESTS, 5L), Map.of(REQUESTS, 8L), this.seeks);
		PartitionRestore.Handle again = this.restore.track(record(REQUESTS, 5));
		this.restore.track(record(REQUESTS, 6));
		late.done();
		assertThat(this.restore.pending(REQUESTS)).as("5 is the new assignment's work").isEqualTo(2);

		again.done();
		assertThat(this.restore.pending(REQUESTS)).isEqualTo(1);
	}

	@Test
	void beforeTheGroupAssignsAnyPartitionNothingIsCaughtUpAndAnEmptyLogIsAtOnce() {
		PartitionRestore fresh = new PartitionRestore();

		assertThat(fresh.caughtUp()).as("no partitions yet is not an empty history").isFalse();

		fresh.assigned(Map.of(REQUESTS, 0L), Map.of(REQUESTS, 0L), this.seeks);
		assertThat(fresh.caughtUp()).isTrue();

		fresh.revoked(List.of(REQUESTS), this.consumer);
		assertThat(fresh.caughtUp()).as("between a revocation and the next assignment").isFalse();
	}

	private Long committed(TopicPartition partition) {
		OffsetAndMetadata committed = this.consumer.committed(Set.of(partition)).get(partition);
		return (committed != null) ? committed.offset() : null;
	}

	private static ConsumerRecord<String, String> record(TopicPartition partition, long offset) {
		return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "demo/staging", "event");
	}

}
