package io.stopbob.rollout.messaging;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.messaging.LedgerListener;
import io.stopbob.ledger.messaging.PartitionRestore;
import io.stopbob.rollout.rolling.FollowRollout;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Built deploys go out; after a restart, every deploy that was built and has not finished
 * is followed again (its backend deployment is looked for by deploy id, not started
 * twice); one never started is started only if it was built lately.
 */
@Component
class RolloutListener extends LedgerListener {

	private final FollowRollout follow;

	private final String self;

	RolloutListener(Ledger ledger, FollowRollout follow, @Value("${spring.application.name}") String self) {
		super(ledger);
		this.follow = follow;
		this.self = self;
	}

	@KafkaListener(id = "rollout-service",
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record, Acknowledgment ack) {
		receive(record, ack);
	}

	@Override
	protected void onNew(PipelineEvent event, Deploy deploy) {
		if (event instanceof Built) {
			this.follow.built(deploy);
		}
		else if (event instanceof Finished && !event.meta().producer().equals(this.self)) {
			this.follow.endedElsewhere(event.deployId());
		}
	}

	@Override
	protected void onCaughtUp() {
		this.ledger.all()
			.stream()
			.filter((deploy) -> deploy.build().isPresent() && !deploy.finished())
			.forEach(this.follow::built);
	}

}
