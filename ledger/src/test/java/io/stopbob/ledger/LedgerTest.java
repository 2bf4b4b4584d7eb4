package io.stopbob.ledger;

import java.time.Instant;
import java.util.List;

import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.schemas.EventMother;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerTest {

	private static final Target STAGING = new Target("demo", "staging");

	private final Ledger ledger = new Ledger();

	@Test
	void aRequestedDeployIsInFlightForItsTargetUntilItFinishes() {
		this.ledger.apply(requested("d-1", "e-1", 0));

		assertThat(this.ledger.inFlight(STAGING)).map(Deploy::deployId).hasValue("d-1");
		assertThat(this.ledger.inFlight(new Target("demo", "production"))).isEmpty();

		this.ledger.apply(finished("d-1", "e-2", Outcome.SUCCEEDED));

		assertThat(this.ledger.inFlight(STAGING)).isEmpty();
		assertThat(this.ledger.find("d-1").orElseThrow().stage()).isEqualTo(Stage.FINISHED);
	}

	@Test
	void theSameEventAppliedTwiceChangesNothingTheSecondTime() {
		assertThat(this.ledger.apply(requested("d-1", "e-1", 0)).fresh()).isTrue();
		assertThat(this.ledger.apply(requested("d-1", "e-1", 0)).fresh()).isFalse();
	}

	@Test
	void aLateEventOfAnEarlierStageIsRecordedButNeverMovesTheDeployBack() {
		this.ledger.apply(requested("d-1", "e-1", 0));
		this.ledger
			.apply(new Built(meta("d-1", "e-3", 2), "abc1234", "staging-1", "local", List.of("ci"), null, false));

		this.ledger
			.apply(new Tagged(meta("d-1", "e-2", 1), "abc1234", "staging-1", null, null, null, Kind.DEPLOY, null));

		Deploy deploy = this.ledger.find("d-1").orElseThrow();
		assertThat(deploy.stage()).isEqualTo(Stage.BUILT);
		assertThat(deploy.tag()).isPresent();
	}

	@Test
	void theFirstOutcomeOfADeployIsItsOnlyOutcome() {
		this.ledger.apply(requested("d-1", "e-1", 0));
		this.ledger.apply(finished("d-1", "e-2", Outcome.ROLLED_BACK));
		this.ledger.apply(finished("d-1", "e-3", Outcome.SUCCEEDED));

		assertThat(this.ledger.find("d-1").orElseThrow().finish()).map(Finished::outcome).hasValue(Outcome.ROLLED_BACK);
	}

	@Test
	void aDeployKnownOnlyFromLaterEventsDoesNotHoldItsTarget() {
		this.ledger.apply(finished("d-9", "e-1", Outcome.REJECTED));

		assertThat(this.ledger.inFlight(STAGING)).isEmpty();
	}

	@Test
	void theOldestOfTwoInFlightDeploysIsTheOneHoldingTheTarget() {
		this.ledger.apply(requested("d-2", "e-2", 5));
		this.ledger.apply(requested("d-1", "e-1", 0));

		assertThat(this.ledger.inFlight(STAGING)).map(Deploy::deployId).hasValue("d-1");
	}

	@Test
	void whatRunsOnATargetIsItsNewestSuccessfulDeploy() {
		this.ledger.apply(requested("d-1", "e-1", 0));
		this.ledger.apply(finished("d-1", "e-2", Outcome.SUCCEEDED));
		this.ledger.apply(requested("d-2", "e-3", 100));
		this.ledger.apply(new Finished(meta("d-2", "e-4", 200), Outcome.ROLLED_BACK, "ROLLOUT", "health", "abc", 1L));

		assertThat(this.ledger.lastSucceeded(STAGING)).map(Deploy::deployId).hasValue("d-1");
	}

	@Test
	void aShaThatPassedCiOnATargetIsRemembered() {
		String full = "abc1234" + "0".repeat(33);
		this.ledger.apply(requested("d-1", "e-0", 0));
		this.ledger.apply(new Tagged(meta("d-1", "e-1", 1), full, "staging-1", null, null, null, Kind.DEPLOY, null));
		this.ledger.apply(new Built(meta("d-1", "e-2", 2), full, "staging-1", "local", List.of("ci"), "u", false));

		assertThat(this.ledger.find("d-1").orElseThrow().brokenLink()).as("asked for by its short SHA").isEmpty();
		assertThat(this.ledger.passedBuild(STAGING, full)).map(Built::tag).hasValue("staging-1");
		assertThat(this.ledger.passedBuild(new Target("demo", "production"), full)).isEmpty();
	}

	@Test
	void aBuildOrTagThePipelineDidNotChainIsBrokenAndSparesNoRollbackItsCi() {
		this.ledger.apply(new Built(meta("d-2", "e-1", 2), "def5678", "staging-2", "local", List.of("ci"), "u", false));
		this.ledger.apply(requested("d-3", "e-2", 0));
		this.ledger
			.apply(new Tagged(meta("d-3", "e-3", 1), "abc1234", "staging-3", null, null, null, Kind.DEPLOY, null));
		this.ledger
			.apply(new Tagged(meta("d-3", "e-4", 1), "0badbad", "staging-3", null, null, null, Kind.DEPLOY, null));

		assertThat(this.ledger.find("d-2").orElseThrow().brokenLink())
			.hasValue("build-passed for deploy d-2 of demo/staging, which was never requested on deploy-requested");
		assertThat(this.ledger.passedBuild(STAGING, "def5678")).isEmpty();
		assertThat(this.ledger.find("d-3").orElseThrow().tag()).as("the first tag stays")
			.hasValueSatisfying((tag) -> assertThat(tag.sha()).isEqualTo("abc1234"));
	}

	@Test
	void aFinishedDeployStillKnowsItsEventsAfterForgettingTheirIds() {
		this.ledger.apply(requested("d-1", "e-1", 0));
		this.ledger.apply(progressed("d-1", "e-2", 30));
		this.ledger.apply(finished("d-1", "e-3", Outcome.SUCCEEDED));

		assertThat(this.ledger.apply(requested("d-1", "e-1", 0)).fresh()).as("the request, kept").isFalse();
		assertThat(this.ledger.apply(finished("d-1", "e-3", Outcome.SUCCEEDED)).fresh()).isFalse();
		assertThat(this.ledger.apply(progressed("d-1", "e-9", 40)).fresh()).as("progress after the end").isFalse();
		assertThat(this.ledger.apply(finished("d-1", "e-8", Outcome.FAILED)).fresh()).as("a second end").isFalse();
		Deploy deploy = this.ledger.find("d-1").orElseThrow();
		assertThat(deploy.finish()).map(Finished::outcome).hasValue(Outcome.SUCCEEDED);
		assertThat(deploy.hasSeen("e-2")).as("its progress, kept").isTrue();
		assertThat(deploy.hasSeen("e-9")).isFalse();
		// A tag read after the end (another topic, behind in a replay) still joins it.
		assertThat(this.ledger
			.apply(new Tagged(meta("d-1", "e-4", 10), "abc1234", "staging-1", null, null, null, Kind.DEPLOY, null))
			.fresh()).isTrue();
		assertThat(this.ledger.find("d-1").orElseThrow().tag()).isPresent();
	}

	@Test
	void pastItsWindowTheLedgerForgetsTheOldestFinishedDeploysButNotWhatRuns() {
		Ledger small = new Ledger(Ledger.Limits.window(2));
		small.apply(requested("d-1", "e-1", 0));
		small.apply(finished("d-1", "e-2", Outcome.SUCCEEDED, 60));
		for (int n = 2; n <= 4; n++) {
			small.apply(requested("d-" + n, "e-" + n + "-1", n * 100));
			small.apply(finished("d-" + n, "e-" + n + "-2", Outcome.FAILED, n * 100 + 60));
		}
		small.apply(requested("d-5", "e-5-1", 500));

		assertThat(small.history(STAGING)).extracting(Deploy::deployId).containsExactly("d-5", "d-4", "d-3");
		assertThat(small.lastSucceeded(STAGING)).map(Deploy::deployId).hasValue("d-1");
		assertThat(small.inFlight(STAGING)).map(Deploy::deployId).hasValue("d-5");
		assertThat(small.forgottenUntil(STAGING)).hasValue(at(260));
	}

	@Test
	void aLateEventOfAForgottenDeployChangesNothingAndANewDeployIsHeld() {
		Ledger small = new Ledger(Ledger.Limits.window(1));
		// A replay may read a deploy's end before its request, which is on another topic.
		small.apply(finished("d-1", "e-2", Outcome.SUCCEEDED, 60));
		small.apply(requested("d-2", "e-3", 100));
		small.apply(finished("d-2", "e-4", Outcome.SUCCEEDED, 160));

		Ledger.Applied late = small.apply(requested("d-1", "e-1", 0));

		assertThat(late.deploy()).isEmpty();
		assertThat(late.fresh()).isFalse();
		assertThat(small.inFlight(STAGING)).as("no deploy of the past holds the target").isEmpty();
		assertThat(small.apply(requested("d-3", "e-5", 200)).fresh()).isTrue();
		assertThat(small.inFlight(STAGING)).map(Deploy::deployId).hasValue("d-3");
	}

	@Test
	void aTargetKeepsItsLatestGreenBuilds() {
		Ledger small = new Ledger(new Ledger.Limits(100, 2, 20));
		for (int n = 1; n <= 3; n++) {
			String sha = n + "bc1234";
			small.apply(new Requested(meta("d-" + n, "e-" + n + "-0", n * 10), sha, Kind.DEPLOY,
					new Person("U1", "bob"), new ThreadRef("C1", "1.0"), null));
			small.apply(new Tagged(meta("d-" + n, "e-" + n + "-1", n * 10 + 1), sha, "s-" + n, null, null, null,
					Kind.DEPLOY, null));
			small.apply(new Built(meta("d-" + n, "e-" + n + "-2", n * 10 + 2), sha, "s-" + n, "local", List.of("ci"),
					"u", false));
		}

		assertThat(small.passedBuild(STAGING, "1bc1234")).isEmpty();
		assertThat(small.passedBuild(STAGING, "3bc1234")).map(Built::tag).hasValue("s-3");
	}

	@Test
	void avroEventsMapToTheDomainWithEveryField() {
		PipelineEvent event = EventMapping.toDomain(EventMother.deployRequested("d-5").build());

		assertThat(event).isInstanceOfSatisfying(Requested.class, (requested) -> {
			assertThat(requested.meta().target()).isEqualTo(STAGING);
			assertThat(requested.requestedBy()).isEqualTo(new Person("U012AB3CD", "bob.ross"));
			assertThat(requested.thread()).isEqualTo(new ThreadRef("C0DEPLOYS", "1700000000.000100"));
			assertThat(requested.kind()).isEqualTo(Kind.DEPLOY);
		});
		assertThat(EventMapping.toDomain(EventMother.rolloutProgress("d-5").build()).stage())
			.isEqualTo(Stage.ROLLING_OUT);
		assertThat(EventMapping.toDomain(EventMother.deployFinished("d-5").build()))
			.isInstanceOfSatisfying(Finished.class, (finished) -> assertThat(finished.endedIn()).isEqualTo("ROLLOUT"));
	}

	@Test
	void everyEventSurvivesTheTripToAvroAndBack() {
		List<org.apache.avro.specific.SpecificRecord> events = List.of(EventMother.deployRequested("d-5").build(),
				EventMother.tagCreated("d-5").build(), EventMother.buildPassed("d-5").build(),
				EventMother.rolloutProgress("d-5")
					.setFailures(List.of(EventMother.failure("i-1", "ValidateService")))
					.build(),
				EventMother.deployFinished("d-5").setRequestedAt(null).build());

		assertThat(events)
			.allSatisfy((event) -> assertThat(EventMapping.toAvro(EventMapping.toDomain(event))).isEqualTo(event));
	}

	private static Requested requested(String deployId, String eventId, int second) {
		return new Requested(meta(deployId, eventId, second), "abc1234", Kind.DEPLOY, new Person("U1", "bob"),
				new ThreadRef("C1", "1.0"), null);
	}

	private static Finished finished(String deployId, String eventId, Outcome outcome) {
		return finished(deployId, eventId, outcome, 60);
	}

	private static Finished finished(String deployId, String eventId, Outcome outcome, int second) {
		return new Finished(meta(deployId, eventId, second), outcome, "ROLLOUT", null, "abc1234", 60_000L);
	}

	private static PipelineEvent.Progressed progressed(String deployId, String eventId, int second) {
		return new PipelineEvent.Progressed(meta(deployId, eventId, second), "cd-1", "InProgress",
				new PipelineEvent.Instances(2, 1, 0, 1, 0), 1, 2, List.of(), null);
	}

	private static Instant at(int second) {
		return Instant.parse("2026-11-26T15:00:00Z").plusSeconds(second);
	}

	private static Meta meta(String deployId, String eventId, int second) {
		return new Meta(eventId, deployId, STAGING, at(second), "test");
	}

}
