package io.stopbob.rollout;

import java.time.Duration;
import java.util.List;

import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.DeployStage;
import io.stopbob.events.RolloutProgress;
import io.stopbob.events.RolloutState;
import io.stopbob.ledger.Target;
import io.stopbob.schemas.EventMother;
import io.stopbob.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutTest extends RolloutServiceTest {

	@Test
	void aGoodReleaseGoesOutHalfAtATimeAndSucceedsWithProgressOnTheWay() {
		String deployId = newDeployId();

		try (TopicProbe events = probe()) {
			this.publisher.publish(built(deployId, GOOD));

			DeployFinished finished = finished(events, deployId);
			assertThat(finished.getOutcome()).isEqualTo(DeployOutcome.SUCCEEDED);
			assertThat(finished.getStage()).isEqualTo(DeployStage.ROLLOUT);
			List<RolloutProgress> progress = progress(events, deployId);
			assertThat(progress).isNotEmpty();
			assertThat(progress.get(progress.size() - 1).getState()).isEqualTo(RolloutState.SUCCEEDED);
			assertThat(progress.get(progress.size() - 1).getInstances().getSucceeded()).isEqualTo(4);
			assertThat(progress).extracting((p) -> p.getInstances().getSucceeded()).isSorted();
			assertThat(this.fleet.describe(new Target("demo", "staging"))).hasSize(4)
				.allSatisfy((instance) -> assertThat(instance).endsWith(GOOD));
		}
	}

	@Test
	void aFailingHealthCheckRollsTheSwitchedHalfBackAndSaysWhichInstanceFailed() {
		String first = newDeployId();
		try (TopicProbe events = probe()) {
			this.publisher.publish(built(first, GOOD));
			finished(events, first);
			String deployId = newDeployId();

			this.publisher.publish(built(deployId, BAD));

			DeployFinished finished = finished(events, deployId);
			assertThat(finished.getOutcome()).isEqualTo(DeployOutcome.ROLLED_BACK);
			assertThat(finished.getReason()).contains("demo-staging-1 failed health check")
				.contains("put 2 switched instance(s) back on their previous version");
			RolloutProgress last = progress(events, deployId).get(progress(events, deployId).size() - 1);
			assertThat(last.getState()).isEqualTo(RolloutState.ROLLED_BACK);
			assertThat(last.getFailures()).extracting((failure) -> failure.getInstanceId()).contains("demo-staging-1");
			assertThat(this.fleet.describe(new Target("demo", "staging")))
				.allSatisfy((instance) -> assertThat(instance).endsWith(GOOD));
		}
	}

	@Test
	void aDuplicateBuildPassedStartsOneRollout() {
		String deployId = newDeployId();
		BuildPassed built = built(deployId, GOOD);

		try (TopicProbe events = probe()) {
			this.publisher.publish(built);
			this.publisher.publish(built);

			finished(events, deployId);
			assertThat(events.drain(Duration.ofSeconds(2))
				.stream()
				.filter((record) -> TopicProbe.decodes(record)
						&& TopicProbe.event(record) instanceof DeployFinished done
						&& done.getMeta().getDeployId().equals(deployId)))
				.hasSize(1);
		}
	}

	private BuildPassed built(String deployId, String sha) {
		this.publisher.publish(EventMother.deployRequested(deployId).setSha(sha).build());
		return EventMother.buildPassed(deployId).setSha(sha).setTag("staging-" + sha.substring(0, 7)).build();
	}

}
