package io.stopbob.ingress.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.stats.DeliveryStats;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.slack.SlackText;

/**
 * {@code /stop status} and {@code /stop history}: what runs where, what is in flight,
 * locked, waiting or queued, and how the last deploys went. Read from the projections, so
 * they answer at once and the same after a restart.
 */
public class Reports {

	public static final int MAX_HISTORY = 50;

	public static final int MAX_STATS_DAYS = 365;

	private final Catalog catalog;

	private final Ledger ledger;

	private final Board board;

	private final History history;

	private final Clock clock;

	public Reports(Catalog catalog, Ledger ledger, Board board, History history, Clock clock) {
		this.catalog = catalog;
		this.ledger = ledger;
		this.board = board;
		this.history = history;
		this.clock = clock;
	}

	/** Every target of the app, or of every app when {@code app} is null. */
	public String status(String app) {
		List<String> apps = (app != null)
				? List.of(Targets.find(this.catalog, app, firstEnvironment(app)).target().app())
				: List.copyOf(this.catalog.appNames());
		StringBuilder text = new StringBuilder();
		Instant now = this.clock.instant();
		for (String name : apps) {
			App entry = this.catalog.app(name).orElseThrow();
			for (String environment : entry.environmentNames()) {
				Target target = new Target(name, environment);
				text.append(text.length() > 0 ? "\n" : "").append("*").append(target).append("*");
				text.append("\n• running: ")
					.append(this.ledger.lastSucceeded(target)
						.map((deploy) -> running(deploy))
						.orElse("nothing deployed yet"));
				this.ledger.inFlight(target)
					.ifPresent((deploy) -> text.append("\n• in flight: ").append(inFlight(deploy, now)));
				this.board.pendingApproval(target)
					.ifPresent((approval) -> text.append("\n• awaiting approval: ")
						.append(approval.held().id())
						.append(" `")
						.append(Describe.sha(approval.held().request().sha()))
						.append("` by ")
						.append(SlackText.escape(approval.held().requester().name()))
						.append(", until ")
						.append(Describe.time(approval.held().request().expiresAt())));
				this.board.lock(target, now)
					.ifPresent((lock) -> text.append("\n• :lock: ")
						.append(SlackText.escape(Describe.lock(target, lock, now))));
				List<Board.Held> queue = this.board.queue(target);
				for (int i = 0; i < queue.size(); i++) {
					Board.Held held = queue.get(i);
					text.append("\n• queued ")
						.append(i + 1)
						.append(": ")
						.append(held.id())
						.append(" `")
						.append(Describe.sha(held.request().sha()))
						.append("` by ")
						.append(SlackText.escape(held.requester().name()))
						.append(" since ")
						.append(Describe.time(held.since()));
				}
			}
		}
		return text.toString();
	}

	/**
	 * Whether {@link #history} reaches past what is held and reads the log: a person is
	 * told to wait for it.
	 */
	public boolean historyReadsTheLog(String app, String environment, int count) {
		return this.history.lastReachesPast(historyTarget(app, environment, count), count);
	}

	/** The target's last {@code count} deploys, the newest first. */
	public String history(String app, String environment, int count) {
		Target target = historyTarget(app, environment, count);
		List<Deploy> deploys = this.history.last(target, count);
		if (deploys.isEmpty()) {
			return target + " has no deploys yet.";
		}
		StringBuilder text = new StringBuilder("*Last " + deploys.size() + " deploys of " + target + "*");
		for (Deploy deploy : deploys) {
			var requested = deploy.request().orElseThrow();
			text.append("\n• ")
				.append(Describe.time(requested.meta().occurredAt()))
				.append(" `")
				.append(Describe.sha(requested.sha()))
				.append("` ")
				.append(deploy.finish()
					.map((finished) -> finished.outcome().name())
					.orElse("IN FLIGHT (" + deploy.stage().name().toLowerCase().replace('_', ' ') + ")"))
				.append(deploy.duration().map((took) -> " in " + Describe.duration(took)).orElse(""))
				.append(" · ")
				.append(SlackText.escape(requested.requestedBy().name()))
				.append((requested.kind() == Kind.ROLLBACK) ? " · rollback" : "")
				.append((requested.approvedBy() != null)
						? " · approved by " + SlackText.escape(requested.approvedBy().name()) : "")
				.append((requested.override() != null)
						? " · :rotating_light: freeze override (" + SlackText.escape(requested.override().window())
								+ "): " + SlackText.escape(requested.override().reason())
						: "")
				.append(deploy.finish()
					.filter((finished) -> finished.reason() != null)
					.map((finished) -> " · " + SlackText.escape(finished.reason()))
					.orElse(""))
				.append(" · ")
				.append(deploy.deployId());
		}
		return text.toString();
	}

	/**
	 * The four delivery figures of the app (or all apps) over the last {@code days} days.
	 */
	public String stats(String app, int days) {
		DeliveryStats.Report report = statsReport(app, days);
		String of = (app != null) ? app.toLowerCase() : "all apps";
		var frequency = report.deployFrequency();
		var failures = report.changeFailureRate();
		return "*Delivery of " + of + ", last " + days + " days* (bands of the State of DevOps report)"
				+ "\n• Deploy frequency: " + frequency.deploys() + " successful deploys, "
				+ String.format(java.util.Locale.ROOT, "%.2f", frequency.perDay()) + " a day — "
				+ band(frequency.band()) + "\n• Lead time for changes (commit to live): "
				+ distribution(report.leadTime(), "deploys") + "\n• Change-failure rate: "
				+ ((failures.rate() != null)
						? failures.failed() + " of " + failures.finished() + " finished = "
								+ Math.round(failures.rate() * 100) + "% — " + band(failures.band())
						: "nothing finished")
				+ "\n• Time to restore: " + distribution(report.timeToRestore(), "restores");
	}

	/** Whether {@link #stats} reaches past what is held and reads the log. */
	public boolean statsReadTheLog(String app, int days) {
		return this.history.deliveriesReachPast(statsTargets(app, days),
				this.clock.instant().minus(Duration.ofDays(days)));
	}

	/** The figures behind {@link #stats}, for the API. */
	public DeliveryStats.Report statsReport(String app, int days) {
		Predicate<Target> targets = statsTargets(app, days);
		Instant now = this.clock.instant();
		Instant from = now.minus(Duration.ofDays(days));
		return DeliveryStats.ofDeliveries(this.history.deliveries(targets, from), targets, from, now);
	}

	private Target historyTarget(String app, String environment, int count) {
		if (count < 1 || count > MAX_HISTORY) {
			throw new Refusal("Ask for 1 to " + MAX_HISTORY + " deploys.");
		}
		return Targets.find(this.catalog, app, environment).target();
	}

	private Predicate<Target> statsTargets(String app, int days) {
		if (days < 1 || days > MAX_STATS_DAYS) {
			throw new Refusal("Ask for 1 to " + MAX_STATS_DAYS + " days.");
		}
		if (app != null) {
			Targets.app(this.catalog, app);
		}
		String only = (app != null) ? app.toLowerCase() : null;
		return (target) -> only == null || target.app().equals(only);
	}

	private static String distribution(DeliveryStats.Distribution figure, String what) {
		return (figure.count() == 0) ? "none yet" : "median " + Describe.duration(figure.p50()) + ", p90 "
				+ Describe.duration(figure.p90()) + " (" + figure.count() + " " + what + ") — " + band(figure.band());
	}

	private static String band(DeliveryStats.Band band) {
		return "*" + band.name().toLowerCase() + "*";
	}

	private String running(Deploy deploy) {
		var requested = deploy.request().orElseThrow();
		Instant since = deploy.finish().orElseThrow().meta().occurredAt();
		return "`" + Describe.sha(requested.sha()) + "`"
				+ deploy.tag().map((tag) -> " (" + SlackText.escape(tag.tag()) + ")").orElse("") + " since "
				+ Describe.time(since) + " by " + SlackText.escape(requested.requestedBy().name());
	}

	private static String inFlight(Deploy deploy, Instant now) {
		var requested = deploy.request().orElseThrow();
		String stage = deploy.stage().name().toLowerCase().replace('_', ' ');
		String progress = deploy.progress()
			.map((progressed) -> " (" + progressed.instances().succeeded() + "/" + progressed.instances().total()
					+ " instances)")
			.orElse("");
		return deploy.deployId() + " `" + Describe.sha(requested.sha()) + "` by "
				+ SlackText.escape(requested.requestedBy().name()) + ", " + stage + progress + ", started "
				+ Describe.duration(Duration.between(requested.meta().occurredAt(), now)) + " ago";
	}

	private String firstEnvironment(String app) {
		return Targets.app(this.catalog, app).environmentNames().first();
	}

}
