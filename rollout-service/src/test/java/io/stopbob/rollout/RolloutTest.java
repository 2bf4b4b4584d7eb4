package io.stopbob.rollout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.DeployStage;
import io.stopbob.events.RolloutProgress;
import io.stopbob.events.RolloutState;
import io.stopbob.ledger.Target;
import io.stopbob.platform.bus.EventPublisher;
import io.stopbob.rollout.local.LocalFleet;
import io.stopbob.schemas.EventMother;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import io.stopbob.testkit.Listeners;
import io.stopbob.testkit.ServiceTest;
import io.stopbob.testkit.TopicProbe;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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

	private TopicProbe probe() {
		return TopicProbe.on(this.broker.getBrokersAsString(), Topics.ROLLOUT_PROGRESS, Topics.DEPLOY_FINISHED);
	}

	private static DeployFinished finished(TopicProbe events, String deployId) {
		return (DeployFinished) events
			.await(1,
					(record) -> TopicProbe.decodes(record) && TopicProbe.event(record) instanceof DeployFinished done
							&& done.getMeta().getDeployId().equals(deployId),
					Duration.ofSeconds(30))
			.stream()
			.map(TopicProbe::event)
			.findFirst()
			.orElseThrow();
	}

	private static List<RolloutProgress> progress(TopicProbe events, String deployId) {
		return events.drain(Duration.ZERO)
			.stream()
			.filter(TopicProbe::decodes)
			.map(TopicProbe::event)
			.filter((SpecificRecord event) -> event instanceof RolloutProgress
					&& Events.meta(event).getDeployId().equals(deployId))
			.map(RolloutProgress.class::cast)
			.toList();
	}

	private static String newDeployId() {
		return "d-test-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
