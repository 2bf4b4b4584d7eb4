package io.stopbob.ingress.messaging;

import java.util.Map;

import io.stopbob.ingress.thread.ThreadReporter;
import io.stopbob.ingress.thread.ThreadReporter.Delivery;
import io.stopbob.events.TargetOperation;
import io.stopbob.events.UserPreference;
import io.stopbob.ingress.operations.Locks;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.ledger.messaging.OperationMapping;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.messaging.PartitionRestore;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Every topic into the deploy threads and the board. On assignment the partitions are
 * read again from the beginning, so the threads' state, locks, queues and approvals
 * survive restarts; only records past the committed position post anything, and only
 * those are committed. A rollback that ends badly locks its target.
 */
@Component
class PipelineListener implements ConsumerSeekAware {

	private final ThreadReporter reporter;

	private final Board board;

	private final Ledger ledger;

	private final Locks locks;

	private final PartitionRestore restore = new PartitionRestore();

	PipelineListener(ThreadReporter reporter, Board board, Ledger ledger, Locks locks) {
		this.reporter = reporter;
		this.board = board;
		this.ledger = ledger;
		this.locks = locks;
	}

	@KafkaListener(id = "slack-ingress-threads",
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED, Topics.TARGET_OPERATIONS, Topics.USER_PREFERENCES },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record, Acknowledgment ack) {
		this.restore.accept(record, ack, (accepted, mode) -> {
			SpecificRecord value = accepted.value();
			if (value instanceof TargetOperation operation) {
				this.board.apply(OperationMapping.toDomain(operation));
			}
			else if (value instanceof UserPreference preference) {
				this.board.apply(OperationMapping.toDomain(preference));
			}
			else {
				PipelineEvent event = EventMapping.toDomain(value);
				Delivery delivery = Delivery.valueOf(mode.name());
				this.reporter.on(event, delivery);
				if (event instanceof PipelineEvent.Finished && delivery != Delivery.REPLAY) {
					this.ledger.find(event.deployId()).ifPresent(this.locks::afterFinish);
				}
			}
		});
	}

	/** True once the threads' state is rebuilt up to where this instance took over. */
	boolean caughtUp() {
		return this.restore.caughtUp();
	}

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.restore.onPartitionsAssigned(assignments, callback);
	}

	@Override
	public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
		this.restore.onPartitionsRevoked(partitions);
	}

}
