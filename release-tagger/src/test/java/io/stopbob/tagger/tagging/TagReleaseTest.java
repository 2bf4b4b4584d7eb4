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
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.rules.TargetRules;
import io.stopbob.platform.bus.UnchainedEventException;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The target's owner decides: requests it finds untagged when it catches up are tagged if
 * asked for lately, refused if nobody may wait for them any more; a request the target's
 * rules stop (a lock, a person not among the deployers, an approval the log lacks) ends
 * REJECTED with the reason, whatever instance of slack-ingress let it through.
 */
class TagReleaseTest {

	private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

	private final Catalog catalog = CatalogLoader.load(new ClassPathResource("test-catalog.yml"));

	private final Ledger ledger = new Ledger();

	private final Board board = new Board();

	private final List<PipelineEvent> published = new ArrayList<>();

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor();

	private final TagRelease tagRelease = new TagRelease(this.catalog, this.ledger, new OneCommit(),
			this.published::add,
			new CiGate(this.catalog, this.ledger, new StillBuilding(), this.published::add, Outages.unwatched(),
					this.polls, this.clock, Duration.ofMinutes(1), Duration.ofMinutes(1), "release-tagger"),
			new TargetRules(this.ledger, this.board, (group, user) -> "S0DEPLOYERS".equals(group) && "U2".equals(user)),
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

	@Test
	void theOwnerRefusesARequestForALockedTargetThatAStaleInstanceLetThrough() {
		lock(new Target("demo", "staging"), "incident 42");
		Requested request = request("d-locked", NOW.minusSeconds(1));

		this.tagRelease.requested(request);

		assertThat(this.published).singleElement().isInstanceOfSatisfying(Finished.class, (finished) -> {
			assertThat(finished.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(finished.endedIn()).isEqualTo("REQUEST");
			assertThat(finished.reason()).isEqualTo("demo/staging is locked by bob: incident 42");
		});
	}

	@Test
	void aRollbackPassesTheLock() {
		lock(new Target("demo", "staging"), "incident 42");
		Requested rollback = request("d-rollback", new Target("demo", "staging"), Kind.ROLLBACK,
				new Person("U1", "ann"), null, NOW.minusSeconds(1));

		this.tagRelease.requested(rollback);

		assertThat(this.published).singleElement().isInstanceOf(Tagged.class);
	}

	@Test
	void theOwnerRefusesSomeoneWhoMayNotDeployThere() {
		Requested request = request("d-stranger", new Target("demo", "production"), Kind.DEPLOY,
				new Person("U9", "eve"), null, NOW.minusSeconds(1));

		this.tagRelease.requested(request);

		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(Finished.class, (finished) -> assertThat(finished.reason())
				.isEqualTo("the requester may not deploy to demo/production"));
	}

	@Test
	void aMemberOfADeployerGroupMayDeploy() {
		Requested request = request("d-member", new Target("demo", "production"), Kind.DEPLOY, new Person("U2", "gus"),
				null, NOW.minusSeconds(1));

		this.tagRelease.requested(request);

		assertThat(this.published).singleElement().isInstanceOf(Tagged.class);
	}

	@Test
	void anApprovalNotOnTheLogYetIsWaitedForBriefly() {
		Requested lately = request("d-unapproved", new Target("demo", "reviewed"), Kind.DEPLOY, new Person("U1", "ann"),
				new Person("U2", "gus"), NOW.minusSeconds(1));

		assertThatExceptionOfType(UnchainedEventException.class).isThrownBy(() -> this.tagRelease.requested(lately))
			.satisfies((ex) -> assertThat(ex.permanent()).as("waited for").isFalse());
		assertThat(this.published).isEmpty();
	}

	@Test
	void aRequestWhoseApprovalTheLogNeverGotIsRefused() {
		Requested old = request("d-unapproved", new Target("demo", "reviewed"), Kind.DEPLOY, new Person("U1", "ann"),
				new Person("U2", "gus"), NOW.minusSeconds(60));

		this.tagRelease.requested(old);

		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(Finished.class, (finished) -> assertThat(finished.reason()).isEqualTo(
					"demo/reviewed wants a second person's approval, and no approval of this deploy is on the log"));
	}

	@Test
	void aRequestApprovedOnTheLogByTheApproverItNamesGoesAhead() {
		Target reviewed = new Target("demo", "reviewed");
		Person approver = new Person("U2", "gus");
		operation(reviewed, "d-approved", new Person("U1", "ann"),
				new Operation.AwaitingApproval(new Operation.HeldRequest("3f9c2a1e", Kind.DEPLOY, null, null, null,
						null, NOW.plus(Duration.ofMinutes(20)))));
		operation(reviewed, "d-approved", approver, new Operation.ApprovalDecided(Operation.Decision.APPROVED, null));
		Requested request = request("d-approved", reviewed, Kind.DEPLOY, new Person("U1", "ann"), approver,
				NOW.minusSeconds(1));

		this.tagRelease.requested(request);

		assertThat(this.published).singleElement().isInstanceOf(Tagged.class);
	}

	private Requested request(String deployId, Instant at) {
		return request(deployId, new Target("demo", "staging"), Kind.DEPLOY, new Person("U1", "ann"), null, at);
	}

	private Requested request(String deployId, Target target, Kind kind, Person by, Person approvedBy, Instant at) {
		Requested request = new Requested(new Meta(deployId + ":requested", deployId, target, at, "slack-ingress"),
				"3f9c2a1e8b7d6c5f4a3b2c1d0e9f8a7b6c5d4e3f", kind, by, new ThreadRef("C0DEPLOYS", "1700000000.000100"),
				null, null, approvedBy);
		this.ledger.apply(request);
		return request;
	}

	private void lock(Target target, String reason) {
		operation(target, "lock-1", new Person("U3", "bob"), new Operation.LockSet(reason, null, false));
	}

	private void operation(Target target, String id, Person actor, Operation.Change change) {
		this.board.apply(new Operation(new Meta(id + ":" + change.getClass().getSimpleName(), id, target,
				NOW.minusSeconds(30), "slack-ingress"), actor, change));
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
