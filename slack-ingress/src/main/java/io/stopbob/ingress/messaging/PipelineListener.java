package io.stopbob.ingress.messaging;

import java.util.Map;

import io.stopbob.ingress.thread.ThreadReporter;
import io.stopbob.ingress.thread.ThreadReporter.Delivery;
import io.stopbob.ledger.messaging.EventMapping;
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
 * Every pipeline topic into the deploy threads. On assignment the partitions are read
 * again from the beginning, so the threads' state survives restarts; only records past
 * the committed position post anything, and only those are committed.
 */
@Component
class PipelineListener implements ConsumerSeekAware {

	private final ThreadReporter reporter;

	private final PartitionRestore restore = new PartitionRestore();

	PipelineListener(ThreadReporter reporter) {
		this.reporter = reporter;
	}

	@KafkaListener(id = "slack-ingress-threads",
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record, Acknowledgment ack) {
		this.restore.accept(record, ack, (accepted, mode) -> this.reporter.on(EventMapping.toDomain(accepted.value()),
				Delivery.valueOf(mode.name())));
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
