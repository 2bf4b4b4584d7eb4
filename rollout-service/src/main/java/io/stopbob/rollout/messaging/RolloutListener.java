package io.stopbob.rollout.messaging;

import java.util.Collection;
import java.util.Map;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.ledger.messaging.PartitionRestore;
import io.stopbob.rollout.rolling.FollowRollout;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Built deploys go out; after a restart, every deploy that was built and has not finished
 * is followed again (its backend deployment is looked for by deploy id, not started
 * twice).
 */
@Component
class RolloutListener implements ConsumerSeekAware {

	private final Ledger ledger;

	private final FollowRollout follow;

	private final PartitionRestore restore = new PartitionRestore();

	private boolean resumed;

	RolloutListener(Ledger ledger, FollowRollout follow) {
		this.ledger = ledger;
		this.follow = follow;
	}

	@KafkaListener(id = "rollout-service",
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record, Acknowledgment ack) {
		this.restore.accept(record, ack, (accepted, mode) -> {
			PipelineEvent event = EventMapping.toDomain(accepted.value());
			boolean fresh = this.ledger.apply(event).fresh();
			if (mode == PartitionRestore.Mode.REPLAY || !fresh) {
				return;
			}
			if (event instanceof Built) {
				this.ledger.find(event.deployId()).ifPresent(this.follow::built);
			}
			else if (event instanceof Finished finished && !finished.meta().producer().equals("rollout-service")) {
				this.follow.endedElsewhere(event.deployId());
			}
		});
		if (!this.resumed && this.restore.caughtUp()) {
			this.resumed = true;
			this.ledger.all()
				.stream()
				.filter((deploy) -> deploy.build().isPresent() && !deploy.finished())
				.forEach(this.follow::built);
		}
	}

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.resumed = false;
		this.restore.onPartitionsAssigned(assignments, callback);
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		this.restore.onPartitionsRevoked(partitions);
	}

}
