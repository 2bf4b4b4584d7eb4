package io.stopbob.rollout;

import java.time.Duration;
import java.util.List;

import io.stopbob.events.BuildPassed;
import io.stopbob.platform.bus.BusAutoConfiguration;
import io.stopbob.schemas.Topics;
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

	@Test
	void aBuildWithoutItsRequestAndTagOnTheLogIsDeadLetteredAndNothingRollsOut() {
		String deployId = newDeployId();
		List<String> before = this.fleet.describe(new Target("demo", "staging"));

		try (TopicProbe dead = TopicProbe.on(this.broker.getBrokersAsString(),
				Topics.deadLetter(Topics.BUILD_PASSED))) {
			this.publisher.publish(EventMother.buildPassed(deployId).setSha(BAD).setTag("staging-forged").build());

			var record = dead
				.await(1, (candidate) -> new String(candidate.value()).contains(deployId), Duration.ofSeconds(60))
				.get(0);
			assertThat(TopicProbe.header(record, BusAutoConfiguration.REASON_HEADER))
				.contains("build-passed for deploy " + deployId + " of demo/staging, which was never requested");
		}
		assertThat(this.fleet.describe(new Target("demo", "staging"))).isEqualTo(before);
	}

	private BuildPassed built(String deployId, String sha) {
		return requestedAndTagged(deployId, "staging", sha, "staging-" + sha.substring(0, 7)).build();
	}

}
