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
		return new Finished(meta(deployId, eventId, 60), outcome, "ROLLOUT", null, "abc1234", 60_000L);
	}

	private static Meta meta(String deployId, String eventId, int second) {
		return new Meta(eventId, deployId, STAGING, Instant.parse("2026-11-26T15:00:00Z").plusSeconds(second), "test");
	}

}
