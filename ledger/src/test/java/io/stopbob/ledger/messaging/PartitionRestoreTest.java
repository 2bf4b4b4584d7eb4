package io.stopbob.ledger.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;
import org.springframework.kafka.support.Acknowledgment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class PartitionRestoreTest {

	private static final TopicPartition REQUESTS = new TopicPartition("deploy-requested", 0);

	private static final TopicPartition FINISHED = new TopicPartition("deploy-finished", 0);

	private final PartitionRestore restore = new PartitionRestore();

	private final List<String> handled = new ArrayList<>();

	private final List<String> acked = new ArrayList<>();

	private final ConsumerSeekCallback seeks = mock(ConsumerSeekCallback.class);

	@BeforeEach
	void assign() {
		// Handed over at offset 2 of deploy-requested and offset 1 of deploy-finished.
		this.restore.onPartitionsAssigned(Map.of(REQUESTS, 2L, FINISHED, 1L), this.seeks);
	}

	@Test
	void everyAssignedPartitionIsReadAgainFromTheBeginning() {
		verify(this.seeks).seekToBeginning((Collection<TopicPartition>) org.mockito.ArgumentMatchers
			.argThat((Collection<TopicPartition> partitions) -> partitions.containsAll(List.of(REQUESTS, FINISHED))));
	}

	@Test
	void recordsBeforeTheHandOverReplayAndTheOneAtItIsUncertain() {
		accept(REQUESTS, 0);
		accept(REQUESTS, 1);
		accept(FINISHED, 0);
		accept(REQUESTS, 2);
		accept(REQUESTS, 3);

		assertThat(this.handled).containsExactly("deploy-requested@0 REPLAY", "deploy-requested@1 REPLAY",
				"deploy-finished@0 REPLAY", "deploy-requested@2 UNCERTAIN", "deploy-requested@3 LIVE");
		assertThat(this.acked).containsExactly("deploy-requested@2", "deploy-requested@3");
	}

	@Test
	void aNewRecordWaitsUntilEveryPartitionIsReplayedSoNothingIsDecidedFromHalfReadState() {
		accept(REQUESTS, 0);
		accept(REQUESTS, 1);
		accept(REQUESTS, 2);

		assertThat(this.handled).containsExactly("deploy-requested@0 REPLAY", "deploy-requested@1 REPLAY");
		assertThat(this.restore.caughtUp()).isFalse();

		accept(FINISHED, 0);

		assertThat(this.handled).containsExactly("deploy-requested@0 REPLAY", "deploy-requested@1 REPLAY",
				"deploy-finished@0 REPLAY", "deploy-requested@2 UNCERTAIN");
		assertThat(this.acked).containsExactly("deploy-requested@2");
		assertThat(this.restore.caughtUp()).isTrue();
	}

	@Test
	void beforeTheGroupAssignsAnyPartitionNothingIsCaughtUp() {
		PartitionRestore fresh = new PartitionRestore();

		assertThat(fresh.caughtUp()).as("no partitions yet is not an empty history").isFalse();

		fresh.onPartitionsAssigned(Map.of(REQUESTS, 0L), this.seeks);
		assertThat(fresh.caughtUp()).isTrue();

		fresh.onPartitionsRevoked(List.of(REQUESTS));
		assertThat(fresh.caughtUp()).as("between a revocation and the next assignment").isFalse();
	}

	@Test
	void heldRecordsOfARevokedPartitionAreLeftForItsNextOwner() {
		accept(REQUESTS, 0);
		accept(REQUESTS, 1);
		accept(REQUESTS, 2);
		this.restore.onPartitionsRevoked(List.of(REQUESTS));

		accept(FINISHED, 0);

		assertThat(this.handled).doesNotContain("deploy-requested@2 UNCERTAIN");
		assertThat(this.acked).isEmpty();
	}

	private void accept(TopicPartition partition, long offset) {
		ConsumerRecord<String, String> record = new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
				"demo/staging", "event");
		Acknowledgment ack = () -> this.acked.add(partition.topic() + "@" + offset);
		this.restore.accept(record, ack,
				(accepted, mode) -> this.handled.add(accepted.topic() + "@" + accepted.offset() + " " + mode));
	}

}
