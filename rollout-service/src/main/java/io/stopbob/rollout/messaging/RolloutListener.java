package io.stopbob.rollout.messaging;

import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.messaging.LedgerListener;
import io.stopbob.platform.bus.BusListeners;
import io.stopbob.platform.bus.PartitionRestore;
import io.stopbob.platform.bus.RestoringListener;
import io.stopbob.rollout.rolling.FollowRollout;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Built deploys go out; a deploy ended by another service has its rollout stopped. Once
 * caught up, every deploy that was built and has not finished is followed again (its
 * backend deployment is looked for by deploy id, not started twice), also one the log
 * handed over as history because the group's committed position was lost; one never
 * started is started only if it was built lately. Only a build whose request and tag of
 * the same SHA are on the log goes out; any other goes to the DLT with the missing link.
 */
@Component
class RolloutListener extends LedgerListener {

	private final FollowRollout follow;

	private final String self;

	RolloutListener(Ledger ledger, BusListeners bus, FollowRollout follow,
			@Value("${spring.application.name}") String self) {
		super(ledger, bus);
		this.follow = follow;
		this.self = self;
	}

	@KafkaListener(id = "rollout-service", containerPostProcessor = RestoringListener.ITSELF,
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record) {
		receive(record);
	}

	@Override
	protected boolean actsOn(SpecificRecord event) {
		return event instanceof BuildPassed
				|| (event instanceof DeployFinished finished && !this.self.equals(finished.getMeta().getProducer()));
	}

	@Override
	protected void onEvent(PipelineEvent event, Deploy deploy, boolean uncertain) {
		if (event instanceof Built) {
			// Defense in depth: whoever can write to the bus must still not ship a SHA.
			requireChain(deploy, event);
			this.follow.built(deploy);
		}
		else if (event instanceof Finished) {
			this.follow.endedElsewhere(event.deployId());
		}
	}

	@Override
	protected void onCaughtUp() {
		this.ledger.all()
			.stream()
			.filter((deploy) -> deploy.build().isPresent() && !deploy.finished() && deploy.brokenLink().isEmpty())
			.forEach((deploy) -> resume(deploy, "its rollout", () -> this.follow.built(deploy)));
	}

}
