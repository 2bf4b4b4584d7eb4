package io.stopbob.rollout.rolling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Instances;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.Target;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Rollout;
import io.stopbob.platform.retry.Outages;
import io.stopbob.rollout.TestCatalogs;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The follower alone, with a backend that remembers its deployments across a service
 * restart.
 */
class FollowRolloutTest {

	private static final Target TARGET = new Target("demo", "staging");

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

	private final FakeBackend backend = new FakeBackend();

	private final List<PipelineEvent> published = new CopyOnWriteArrayList<>();

	private final Catalog catalog = TestCatalogs.of("""
			apps:
			  demo:
			    repository: stop-bob/demo
			    deploy-channel: C1
			    changelog-channel: C2
			    environments:
			      staging:
			        tag-prefix: staging-
			        rollout: { backend: local }
			""");

	@AfterEach
	void stop() {
		this.scheduler.shutdownNow();
	}

	@Test
	void aRestartMidRolloutFindsTheDeploymentAgainAndEndsItExactlyOnce() {
		Ledger before = new Ledger();
		List<PipelineEvent> history = List.of(requested(), built());
		history.forEach(before::apply);
		follower(before).built(before.find("d-1").orElseThrow());
		Awaitility.await().until(() -> this.backend.polls.get() >= 2);

		// The service dies; its replacement rebuilds its ledger from the log and follows
		// again.
		Ledger after = new Ledger();
		history.forEach(after::apply);
		this.published.forEach(after::apply);
		follower(after).built(after.find("d-1").orElseThrow());
		this.backend.state = RolloutStatus.State.SUCCEEDED;

		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.published.stream().anyMatch(Finished.class::isInstance));
		Awaitility.await().during(Duration.ofMillis(500)).until(() -> true);
		assertThat(this.backend.starts).hasValue(1);
		assertThat(this.published.stream()
			.filter(Finished.class::isInstance)
			.map((event) -> event.meta().eventId())
			.distinct()).containsExactly("d-1:finished");
		assertThat(this.published.stream()
			.filter(Finished.class::isInstance)
			.map((event) -> ((Finished) event).outcome())
			.distinct()).containsExactly(Outcome.SUCCEEDED);
	}

	@Test
	void aReleaseBuiltLongAgoIsNotStartedUntilItIsReDriven() {
		Ledger ledger = new Ledger();
		ledger.apply(requested());
		ledger.apply(new Built(new Meta("e-2", "d-1", TARGET, Instant.now().minus(Duration.ofHours(3)), "test"),
				"abc1234", "staging-1", "local", List.of("ci"), null, false));
		FollowRollout follower = follower(ledger);

		follower.built(ledger.find("d-1").orElseThrow());

		assertThat(this.backend.starts).hasValue(0);
		assertThat(this.published).isEmpty();

		// bin/stop replay --deploy publishes the build again under a new event id.
		Built redriven = new Built(meta("e-3"), "abc1234", "staging-1", "local", List.of("ci"), null, false);
		ledger.apply(redriven);
		follower.built(ledger.find("d-1").orElseThrow());
		this.backend.state = RolloutStatus.State.SUCCEEDED;

		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.published.stream().anyMatch(Finished.class::isInstance));
		assertThat(this.backend.starts).hasValue(1);
	}

	private FollowRollout follower(Ledger ledger) {
		return new FollowRollout(this.catalog, ledger, Map.of(Rollout.Backend.LOCAL, this.backend), this.published::add,
				Outages.unwatched(), this.scheduler, Clock.systemUTC(), Duration.ofMillis(20), Duration.ofMinutes(15),
				"rollout-service");
	}

	private static Requested requested() {
		return new Requested(meta("e-1"), "abc1234", Kind.DEPLOY, new Person("U1", "bob"), null, null);
	}

	private static Built built() {
		return new Built(meta("e-2"), "abc1234", "staging-1", "local", List.of("ci"), null, false);
	}

	private static Meta meta(String eventId) {
		return new Meta(eventId, "d-1", TARGET, Instant.now(), "test");
	}

	/** A backend whose deployments outlive the service, as CodeDeploy's do. */
	static final class FakeBackend implements RolloutBackend {

		final AtomicInteger starts = new AtomicInteger();

		final AtomicInteger polls = new AtomicInteger();

		final Map<String, String> deployments = new ConcurrentHashMap<>();

		volatile RolloutStatus.State state = RolloutStatus.State.IN_PROGRESS;

		@Override
		public Optional<String> find(RolloutRequest request) {
			return Optional.ofNullable(this.deployments.get(request.deployId()));
		}

		@Override
		public String start(RolloutRequest request) {
			this.starts.incrementAndGet();
			this.deployments.put(request.deployId(), "fake-" + request.deployId());
			return "fake-" + request.deployId();
		}

		@Override
		public RolloutStatus status(RolloutRequest request, String deploymentId) {
			this.polls.incrementAndGet();
			int done = (this.state == RolloutStatus.State.SUCCEEDED) ? 4 : 2;
			return new RolloutStatus(this.state, new Instances(4, done, 0, 4 - done, 0), null, null, List.of(), null);
		}

		@Override
		public void stop(RolloutRequest request, String deploymentId) {
		}

	}

}
