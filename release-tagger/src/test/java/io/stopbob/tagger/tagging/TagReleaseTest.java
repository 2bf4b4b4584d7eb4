package io.stopbob.tagger.tagging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Target;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.CatalogLoader;
import io.stopbob.platform.catalog.Environment;
import io.stopbob.platform.retry.Outages;
import io.stopbob.tagger.ci.CiGate;
import io.stopbob.tagger.ci.CiStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests release-tagger finds untagged when it catches up: tagged if asked for lately,
 * refused if nobody may wait for them any more.
 */
class TagReleaseTest {

	private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

	private final Catalog catalog = CatalogLoader.load(new ClassPathResource("test-catalog.yml"));

	private final Ledger ledger = new Ledger();

	private final List<PipelineEvent> published = new ArrayList<>();

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor();

	private final TagRelease tagRelease = new TagRelease(this.catalog, this.ledger, new OneCommit(),
			this.published::add,
			new CiGate(this.catalog, this.ledger, new StillBuilding(), this.published::add, Outages.unwatched(),
					this.polls, this.clock, Duration.ofMinutes(1), Duration.ofMinutes(1), "release-tagger"),
			this.clock, Duration.ofMinutes(15), "release-tagger");

	@AfterEach
	void stopPolls() {
		this.polls.shutdownNow();
	}

	@Test
	void aRequestFoundUntaggedThatWasAskedForLatelyIsTagged() {
		Requested request = request("d-lately", NOW.minus(Duration.ofMinutes(5)));

		this.tagRelease.resume(request);

		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(Tagged.class, (tagged) -> assertThat(tagged.tag()).startsWith("staging-"));
	}

	@Test
	void aRequestFoundUntaggedThatWasAskedForLongAgoIsRefusedSayingWhy() {
		Requested request = request("d-long-ago", NOW.minus(Duration.ofHours(3)));

		this.tagRelease.resume(request);

		assertThat(this.published).singleElement().isInstanceOfSatisfying(Finished.class, (finished) -> {
			assertThat(finished.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(finished.reason()).contains("not tagged within 15 min").contains("ask again");
		});
		assertThat(this.ledger.inFlight(new Target("demo", "staging"))).as("the target is free").isEmpty();
	}

	private Requested request(String deployId, Instant at) {
		Requested request = new Requested(
				new Meta(deployId + ":requested", deployId, new Target("demo", "staging"), at, "slack-ingress"),
				"3f9c2a1e8b7d6c5f4a3b2c1d0e9f8a7b6c5d4e3f", Kind.DEPLOY, new Person("U1", "ann"),
				new ThreadRef("C0DEPLOYS", "1700000000.000100"), null);
		this.ledger.apply(request);
		return request;
	}

	/** CI that is still building. */
	private static final class StillBuilding implements CiStatus {

		@Override
		public String provider() {
			return "ci";
		}

		@Override
		public CiResult status(String repository, String tag, String sha, java.time.Instant taggedAt,
				Environment.Ci ci) {
			return new CiResult.Pending("the build");
		}

	}

	/** A repository that has every commit and tags what it is asked to. */
	private static final class OneCommit implements GitHost {

		@Override
		public Optional<Commit> resolveCommit(String repository, String sha) {
			return Optional.of(new Commit(sha, NOW.minus(Duration.ofHours(1))));
		}

		@Override
		public List<CommitSummary> commitsBetween(String repository, String fromRef, String toSha) {
			return List.of(new CommitSummary(toSha, "Fix the signup form", "ann"));
		}

		@Override
		public String release(String repository, ReleaseRequest request) {
			return "https://github.com/" + repository + "/releases/tag/" + request.tag();
		}

	}

}
