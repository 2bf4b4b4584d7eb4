package io.stopbob.ledger.stats;

import java.time.Duration;
import java.time.Instant;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.stats.DeliveryStats.Band;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four figures against a week worked out by hand: three deploys and a rollback that
 * succeeded, a failure restored by that rollback in 20 minutes, a rolled-back deploy
 * restored a day later, a refused request, and a deploy outside the window.
 */
class DeliveryStatsTest {

	private static final Target PRODUCTION = new Target("demo", "production");

	private static final Instant MONDAY = Instant.parse("2026-11-16T00:00:00Z");

	private final Ledger ledger = new Ledger();

	private int events;

	@Test
	void aWeekWorkedOutByHand() {
		// committed 09:00, live 10:00: lead time 1 h
		deploy("d-1", Kind.DEPLOY, at(0, "09:00"), at(0, "09:50"), at(0, "10:00"), Outcome.SUCCEEDED);
		// fails at 12:00 ...
		deploy("d-2", Kind.DEPLOY, at(1, "11:30"), at(1, "11:50"), at(1, "12:00"), Outcome.FAILED);
		// ... and the rollback restores it at 12:20: 20 min (not a deploy for frequency
		// or lead time)
		deploy("d-3", Kind.ROLLBACK, at(0, "09:00"), at(1, "12:15"), at(1, "12:20"), Outcome.SUCCEEDED);
		// committed 08:00, live 10:00: 2 h
		deploy("d-4", Kind.DEPLOY, at(2, "08:00"), at(2, "09:55"), at(2, "10:00"), Outcome.SUCCEEDED);
		// rolled back at 15:00 on Thursday, restored by the next success on Friday 15:00:
		// 24 h
		deploy("d-5", Kind.DEPLOY, at(3, "14:00"), at(3, "14:50"), at(3, "15:00"), Outcome.ROLLED_BACK);
		// committed 14:00, live 15:00: 1 h
		deploy("d-6", Kind.DEPLOY, at(4, "14:00"), at(4, "14:55"), at(4, "15:00"), Outcome.SUCCEEDED);
		// refused: changed nothing, not counted
		deploy("d-7", Kind.DEPLOY, at(4, "16:00"), at(4, "16:00"), at(4, "16:01"), Outcome.REJECTED);
		// the week before: outside the window
		deploy("d-0", Kind.DEPLOY, at(-3, "09:00"), at(-3, "09:50"), at(-3, "10:00"), Outcome.FAILED);
		// another app's deploy: not asked for
		deployOf(new Target("other", "production"), "d-9", at(2, "09:00"), at(2, "10:00"), Outcome.FAILED);

		DeliveryStats.Report report = DeliveryStats.of(this.ledger.all(), (target) -> target.app().equals("demo"),
				MONDAY, MONDAY.plus(Duration.ofDays(7)));

		assertThat(report.deployFrequency().deploys()).isEqualTo(3);
		assertThat(report.deployFrequency().perDay()).isEqualTo(3 / 7.0);
		assertThat(report.deployFrequency().band()).as("weekly or more").isEqualTo(Band.HIGH);

		assertThat(report.leadTime().count()).isEqualTo(3);
		assertThat(report.leadTime().p50()).isEqualTo(Duration.ofHours(1));
		assertThat(report.leadTime().p90()).isEqualTo(Duration.ofHours(2));
		assertThat(report.leadTime().band()).as("1 h is not under an hour").isEqualTo(Band.HIGH);

		assertThat(report.changeFailureRate().failed()).isEqualTo(2);
		assertThat(report.changeFailureRate().finished()).isEqualTo(6);
		assertThat(report.changeFailureRate().rate()).isEqualTo(2 / 6.0);
		assertThat(report.changeFailureRate().band()).isEqualTo(Band.MEDIUM);

		assertThat(report.timeToRestore().count()).isEqualTo(2);
		assertThat(report.timeToRestore().p50()).isEqualTo(Duration.ofMinutes(20));
		assertThat(report.timeToRestore().p90()).isEqualTo(Duration.ofHours(24));
		assertThat(report.timeToRestore().band()).isEqualTo(Band.ELITE);
	}

	@Test
	void nothingToMeasureIsSaidAsSuch() {
		DeliveryStats.Report report = DeliveryStats.of(this.ledger.all(), (target) -> true, MONDAY,
				MONDAY.plus(Duration.ofDays(30)));

		assertThat(report.deployFrequency().band()).isEqualTo(Band.LOW);
		assertThat(report.leadTime().band()).isEqualTo(Band.NONE);
		assertThat(report.changeFailureRate().rate()).isNull();
		assertThat(report.timeToRestore().p50()).isNull();
	}

	private void deploy(String deployId, Kind kind, Instant committed, Instant requested, Instant finished,
			Outcome outcome) {
		this.ledger.apply(new Requested(meta(deployId, PRODUCTION, requested), "abc1234", kind, new Person("U1", "ann"),
				null, null));
		this.ledger.apply(new Tagged(meta(deployId, PRODUCTION, requested.plusSeconds(5)), "abc1234", "t-" + deployId,
				null, null, null, kind, committed));
		this.ledger
			.apply(new Finished(meta(deployId, PRODUCTION, finished), outcome, "ROLLOUT", null, "abc1234", null));
	}

	private void deployOf(Target target, String deployId, Instant requested, Instant finished, Outcome outcome) {
		this.ledger.apply(new Requested(meta(deployId, target, requested), "abc1234", Kind.DEPLOY,
				new Person("U1", "ann"), null, null));
		this.ledger.apply(new Finished(meta(deployId, target, finished), outcome, "ROLLOUT", null, "abc1234", null));
	}

	private Meta meta(String deployId, Target target, Instant at) {
		return new Meta("e-" + (++this.events), deployId, target, at, "test");
	}

	private static Instant at(int day, String time) {
		return Instant.parse(MONDAY.plus(Duration.ofDays(day)).toString().substring(0, 11) + time + ":00Z");
	}

}
