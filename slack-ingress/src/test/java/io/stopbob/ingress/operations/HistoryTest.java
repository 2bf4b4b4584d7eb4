package io.stopbob.ingress.operations;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.messaging.LedgerState;
import io.stopbob.ledger.operations.Board;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same log, read two ways: into a ledger that holds all of it, and into one whose
 * window forgets most of it, with older history read from the log on demand. Every answer
 * a person gets is the same.
 */
public class HistoryTest {

	private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

	private static final Target STAGING = new Target("demo", "staging");

	private static final Target PRODUCTION = new Target("demo", "production");

	private final Catalog catalog = CatalogLoader.load(new ClassPathResource("test-catalog.yml"));

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final List<PipelineEvent> log = log();

	private int reads;

	@Test
	void statusHistoryStatsAndTheRollbackAnswerTheSameFromAWindowAndTheLog() {
		Ledger all = new Ledger(Ledger.Limits.window(Integer.MAX_VALUE));
		Ledger window = new Ledger(Ledger.Limits.window(5));
		this.log.forEach(all::apply);
		this.log.forEach(window::apply);
		Reports whole = reports(all, (target, from, each) -> {
			throw new AssertionError("a ledger that holds everything never reads the log");
		});
		Reports windowed = reports(window, this::read);

		assertThat(window.history(PRODUCTION)).as("the window forgot most").hasSizeLessThan(10);
		assertThat(windowed.status(null)).isEqualTo(whole.status(null));
		assertThat(windowed.historyReadsTheLog("demo", "production", 20)).isTrue();
		assertThat(windowed.history("demo", "production", 20)).isEqualTo(whole.history("demo", "production", 20))
			.contains("Last 20 deploys of demo/production");
		assertThat(windowed.history("demo", "staging", 3)).isEqualTo(whole.history("demo", "staging", 3));
		assertThat(windowed.statsReadTheLog(null, 30)).isTrue();
		assertThat(windowed.statsReport(null, 30)).isEqualTo(whole.statsReport(null, 30));
		assertThat(windowed.stats("demo", 7)).isEqualTo(whole.stats("demo", 7)).contains("Change-failure rate");
		assertThat(new Rollbacks(this.catalog, window, null).plan("demo", "production"))
			.isEqualTo(new Rollbacks(this.catalog, all, null).plan("demo", "production"));
		History wholeHistory = new History(this.catalog, all, (target, from, each) -> {
			throw new AssertionError("held");
		});
		History windowHistory = new History(this.catalog, window, this::read);
		Instant from = NOW.minusSeconds(20 * 3600);
		Instant to = NOW.minusSeconds(5 * 3600);
		List<String> held = wholeHistory.between(PRODUCTION, from, to)
			.stream()
			.map((deploy) -> deploy.deployId())
			.toList();
		assertThat(windowHistory.between(PRODUCTION, from, to)).extracting((deploy) -> deploy.deployId())
			.isEqualTo(held)
			.hasSize(12);
		assertThat(this.reads).isPositive();
	}

	@Test
	void everyAnswerIsTheSameFromAWindowRestoredFromSnapshots() {
		Ledger all = new Ledger(Ledger.Limits.window(Integer.MAX_VALUE));
		Ledger window = new Ledger(Ledger.Limits.window(5));
		this.log.forEach(all::apply);
		this.log.forEach(window::apply);
		Ledger restored = restored(window);
		Reports whole = reports(all, (target, from, each) -> {
			throw new AssertionError("a ledger that holds everything never reads the log");
		});
		Reports fromSnapshots = reports(restored, this::read);

		assertThat(fromSnapshots.status(null)).isEqualTo(whole.status(null));
		assertThat(fromSnapshots.history("demo", "production", 20)).isEqualTo(whole.history("demo", "production", 20));
		assertThat(fromSnapshots.history("demo", "staging", 3)).isEqualTo(whole.history("demo", "staging", 3));
		assertThat(fromSnapshots.statsReport(null, 30)).isEqualTo(whole.statsReport(null, 30));
		assertThat(fromSnapshots.stats("demo", 7)).isEqualTo(whole.stats("demo", 7));
		assertThat(new Rollbacks(this.catalog, restored, null).plan("demo", "production"))
			.isEqualTo(new Rollbacks(this.catalog, all, null).plan("demo", "production"));
		assertThat(restored.forgottenUntil(PRODUCTION)).isEqualTo(window.forgottenUntil(PRODUCTION));
	}

	/**
	 * A ledger restored from the snapshots of another, one partition per target, through
	 * Avro as the snapshot topic carries them.
	 */
	public static Ledger restored(Ledger ledger) {
		Ledger restored = new Ledger(Ledger.Limits.window(5));
		for (Target target : List.of(PRODUCTION, STAGING)) {
			new LedgerState(restored, null).restore(new LedgerState(ledger, null).snapshot(target.toString()::equals));
		}
		return restored;
	}

	@Test
	void aHistoryTheWindowHoldsIsAnsweredWithoutTheLog() {
		Ledger window = new Ledger(Ledger.Limits.window(100));
		this.log.forEach(window::apply);
		Reports reports = reports(window, this::read);

		assertThat(reports.historyReadsTheLog("demo", "production", 20)).isFalse();
		assertThat(reports.history("demo", "production", 20)).contains("Last 20 deploys of demo/production");
		assertThat(this.reads).isZero();
	}

	private Reports reports(Ledger ledger, PipelineLog pipelineLog) {
		return new Reports(this.catalog, ledger, new Board(), new History(this.catalog, ledger, pipelineLog),
				this.clock);
	}

	private void read(Target target, Instant from, Consumer<PipelineEvent> each) {
		this.reads++;
		brokerOf(this.log).read(target, from, each);
	}

	/** The log as a broker hands it: from a time on, one target's partition or all. */
	public static PipelineLog brokerOf(List<PipelineEvent> log) {
		return (target, from, each) -> log.stream()
			.filter((event) -> (target == null || event.meta().target().equals(target))
					&& !event.meta().occurredAt().isBefore(from))
			.forEach(each);
	}

	/**
	 * Forty deploys of production and ten of staging, one an hour back from now: most
	 * succeed, some fail and some are rolled back.
	 */
	public static List<PipelineEvent> log() {
		List<PipelineEvent> events = new ArrayList<>();
		for (int n = 0; n < 50; n++) {
			Target target = (n % 5 == 4) ? STAGING : PRODUCTION;
			Instant at = NOW.minusSeconds((50 - n) * 3600L);
			String id = "d-" + n;
			String sha = String.format("%040x", n + 1);
			String tag = target.environment() + "-" + n;
			Outcome outcome = (n % 7 == 6) ? Outcome.ROLLED_BACK : (n % 5 == 3) ? Outcome.FAILED : Outcome.SUCCEEDED;
			events.add(new Requested(meta(id, "r", target, at), sha, Kind.DEPLOY, new Person("U1", "bob"),
					new ThreadRef("C1", n + ".0"), null));
			events.add(new Tagged(meta(id, "t", target, at.plusSeconds(60)), sha, tag, null, null, null, Kind.DEPLOY,
					at.minusSeconds(1800)));
			events.add(new Built(meta(id, "b", target, at.plusSeconds(300)), sha, tag, "local", List.of("build"), null,
					false));
			events.add(new Finished(meta(id, "f", target, at.plusSeconds(900)), outcome, "ROLLOUT",
					(outcome == Outcome.SUCCEEDED) ? null : "health checks failed", sha, 900_000L));
		}
		return events;
	}

	private static Meta meta(String deployId, String kind, Target target, Instant at) {
		return new Meta(deployId + "-" + kind, deployId, target, at, "test");
	}

}
