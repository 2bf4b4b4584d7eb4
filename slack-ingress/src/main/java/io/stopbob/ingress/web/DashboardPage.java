package io.stopbob.ingress.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ingress.operations.History;
import io.stopbob.ingress.thread.ThreadMessages;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.stats.DeliveryStats;
import io.stopbob.platform.catalog.Catalog;

import org.springframework.stereotype.Component;

/**
 * The dashboard's HTML, rendered from the ledger and the board: targets with what runs,
 * locks and queues; deploys in flight with their progress; the history; the delivery
 * figures with a bar per week. Everything that came from a person or a repository is
 * escaped.
 */
@Component
class DashboardPage {

	private static final int HISTORY = 20;

	private static final int WEEKS = 8;

	private static final String STYLE = """
			body{font:14px system-ui,sans-serif;margin:2rem;color:#1d1c1d}h1{margin:0 0 1rem}
			table{border-collapse:collapse;margin-bottom:1.5rem;min-width:40rem}
			td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}
			code{background:#f4f4f4;padding:0 .2rem}.SUCCEEDED{color:#007a5a}.FAILED,.ROLLED_BACK{color:#e01e5a}
			.REJECTED{color:#868686}.band{font-weight:600}.thread p{margin:.4rem 0;padding:.4rem;background:#f8f8f8}
			""";

	private final Ledger ledger;

	private final Board board;

	private final Catalog catalog;

	private final History history;

	private final Clock clock;

	DashboardPage(Ledger ledger, Board board, Catalog catalog, History history, Clock clock) {
		this.ledger = ledger;
		this.board = board;
		this.catalog = catalog;
		this.history = history;
		this.clock = clock;
	}

	String full() {
		return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>StoP Bob</title><style>" + STYLE
				+ "</style></head><body><h1>StoP Bob</h1><div id=\"live\">" + live() + "</div>"
				+ """
						<script>
						// Each server-sent event says a deploy changed: fetch the live part again, at most one at a time.
						const live = document.getElementById('live');
						let fetching = false, again = false;
						function refresh() {
						  if (fetching) { again = true; return; }
						  fetching = true;
						  fetch('/dashboard/live').then((r) => r.text()).then((html) => { live.innerHTML = html; })
						    .finally(() => { fetching = false; if (again) { again = false; refresh(); } });
						}
						new EventSource('/dashboard/events').addEventListener('deploy', refresh);
						</script></body></html>""";
	}

	/**
	 * Targets, deploys in flight, the history and the delivery figures: the part that
	 * changes.
	 */
	String live() {
		Instant now = this.clock.instant();
		StringBuilder html = new StringBuilder("<h2>Targets</h2><table id=\"targets\"><tr><th>target</th>"
				+ "<th>running</th><th>in flight</th><th>lock</th><th>queue</th></tr>");
		for (String app : this.catalog.appNames()) {
			for (String environment : this.catalog.app(app).orElseThrow().environmentNames()) {
				Target target = new Target(app, environment);
				html.append("<tr><td>")
					.append(escape(target.toString()))
					.append("</td><td>")
					.append(this.ledger.lastSucceeded(target).map(DashboardPage::running).orElse("—"))
					.append("</td><td>")
					.append(this.ledger.inFlight(target).map((deploy) -> link(deploy) + " " + stage(deploy)).orElse(""))
					.append("</td><td>")
					.append(this.board.lock(target, now)
						.map((lock) -> "🔒 " + escape(lock.by().name() + ": " + lock.reason()))
						.orElse(""))
					.append("</td><td>")
					.append(String.join("<br>",
							this.board.queue(target)
								.stream()
								.map((held) -> escape(held.id() + " " + Describe.sha(held.request().sha()) + " by "
										+ held.requester().name()))
								.toList()))
					.append("</td></tr>");
			}
		}
		html.append("</table><h2>In flight</h2><table id=\"in-flight\"><tr><th>deploy</th><th>target</th>"
				+ "<th>SHA</th><th>by</th><th>stage</th></tr>");
		List<Deploy> deploys = this.ledger.all();
		deploys.stream()
			.filter(Deploy::inFlight)
			.sorted(Comparator.comparing((Deploy deploy) -> deploy.requestedAt().orElseThrow()))
			.forEach((deploy) -> html.append("<tr><td>")
				.append(link(deploy))
				.append("</td><td>")
				.append(escape(deploy.target().toString()))
				.append("</td><td>")
				.append(sha(deploy))
				.append("</td><td>")
				.append(escape(by(deploy)))
				.append("</td><td class=\"stage\">")
				.append(stage(deploy))
				.append("</td></tr>"));
		html.append("</table><h2>History</h2><table id=\"history\"><tr><th>finished</th><th>deploy</th>"
				+ "<th>target</th><th>SHA</th><th>outcome</th><th>took</th><th>by</th></tr>");
		deploys.stream()
			.filter((deploy) -> deploy.finished() && deploy.request().isPresent())
			.sorted(Comparator.comparing((Deploy deploy) -> deploy.finish().orElseThrow().meta().occurredAt())
				.reversed())
			.limit(HISTORY)
			.forEach((deploy) -> {
				var finished = deploy.finish().orElseThrow();
				html.append("<tr><td>")
					.append(Describe.time(finished.meta().occurredAt()))
					.append("</td><td>")
					.append(link(deploy))
					.append("</td><td>")
					.append(escape(deploy.target().toString()))
					.append("</td><td>")
					.append(sha(deploy))
					.append("</td><td class=\"outcome ")
					.append(finished.outcome().name())
					.append("\">")
					.append(finished.outcome().name())
					.append((finished.reason() != null) ? ": " + escape(finished.reason()) : "")
					.append("</td><td>")
					.append(deploy.duration().map(Describe::duration).orElse(""))
					.append("</td><td>")
					.append(escape(by(deploy)))
					.append("</td></tr>");
			});
		return html.append("</table>").append(delivery()).toString();
	}

	/** The four figures over 30 days, and deploys and failures per week as bars. */
	private String delivery() {
		Instant now = this.clock.instant();
		// One pass over the whole ledger; the nine reports below read only what finished
		// lately.
		Instant since = now.minus(Duration.ofDays(Math.max(30, 7L * WEEKS)));
		if (this.history.deliveriesReachPast((target) -> true, since)) {
			// A page refreshed every few seconds does not read the log; the figures of
			// part of the weeks would mislead.
			return "<section id=\"delivery\"><h2>Delivery</h2><p>The last " + WEEKS + " weeks reach past the newest"
					+ " deploys this page holds: <code>/stop stats</code> and <code>GET /api/stats</code> read them"
					+ " from the log.</p></section>";
		}
		List<Deploy> deploys = this.ledger.all()
			.stream()
			.filter((deploy) -> deploy.finish()
				.map((finished) -> !finished.meta().occurredAt().isBefore(since))
				.orElse(false))
			.toList();
		DeliveryStats.Report month = DeliveryStats.of(deploys, (target) -> true, now.minus(Duration.ofDays(30)), now);
		StringBuilder html = new StringBuilder("<section id=\"delivery\"><h2>Delivery, last 30 days</h2><ul>");
		html.append("<li>Deploy frequency: ")
			.append(month.deployFrequency().deploys())
			.append(String.format(java.util.Locale.ROOT, " (%.2f a day) ", month.deployFrequency().perDay()))
			.append(band(month.deployFrequency().band()))
			.append("</li><li>Lead time for changes: ")
			.append(distribution(month.leadTime()))
			.append("</li><li>Change-failure rate: ")
			.append((month.changeFailureRate().rate() != null)
					? Math.round(month.changeFailureRate().rate() * 100) + "% of "
							+ month.changeFailureRate().finished() + " " + band(month.changeFailureRate().band())
					: "nothing finished")
			.append("</li><li>Time to restore: ")
			.append(distribution(month.timeToRestore()))
			.append("</li></ul>");
		int width = 40;
		int max = 1;
		int[][] weeks = new int[WEEKS][2];
		for (int week = 0; week < WEEKS; week++) {
			Instant to = now.minus(Duration.ofDays(7L * (WEEKS - 1 - week)));
			DeliveryStats.Report report = DeliveryStats.of(deploys, (target) -> true, to.minus(Duration.ofDays(7)), to);
			weeks[week][0] = report.deployFrequency().deploys();
			weeks[week][1] = report.changeFailureRate().failed();
			max = Math.max(max, Math.max(weeks[week][0], weeks[week][1]));
		}
		html.append("<svg id=\"weekly\" width=\"")
			.append(WEEKS * width + 20)
			.append("\" height=\"130\" role=\"img\" aria-label=\"deploys (green) and failures (red) per week\">");
		for (int week = 0; week < WEEKS; week++) {
			int deployed = weeks[week][0] * 100 / max;
			int failed = weeks[week][1] * 100 / max;
			int x = 10 + week * width;
			html.append("<rect x=\"")
				.append(x)
				.append("\" y=\"")
				.append(110 - deployed)
				.append("\" width=\"16\" height=\"")
				.append(deployed)
				.append("\" fill=\"#2eb67d\"><title>")
				.append(weeks[week][0])
				.append(" deploys</title></rect><rect x=\"")
				.append(x + 17)
				.append("\" y=\"")
				.append(110 - failed)
				.append("\" width=\"16\" height=\"")
				.append(failed)
				.append("\" fill=\"#e01e5a\"><title>")
				.append(weeks[week][1])
				.append(" failures</title></rect><text x=\"")
				.append(x)
				.append("\" y=\"125\" font-size=\"10\">")
				.append((week == WEEKS - 1) ? "now" : "-" + (WEEKS - 1 - week) + "w")
				.append("</text>");
		}
		return html.append("</svg></section>").toString();
	}

	/** One deploy's thread as Slack showed it. */
	Optional<String> thread(String deployId) {
		return this.ledger.find(deployId)
			.map((deploy) -> "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(deployId)
					+ "</title><style>" + STYLE + "</style></head><body><p><a href=\"/\">StoP Bob</a></p>" + "<h1>"
					+ escape(deploy.target() + " · " + deployId) + "</h1><div class=\"thread\">"
					+ String.join("",
							ThreadMessages.transcript(deploy)
								.stream()
								.map((line) -> "<p>" + escape(line).replace("\n", "<br>") + "</p>")
								.toList())
					+ "</div></body></html>");
	}

	private static String running(Deploy deploy) {
		return sha(deploy) + deploy.tag().map((tag) -> " " + escape(tag.tag())).orElse("") + " since "
				+ Describe.time(deploy.finish().orElseThrow().meta().occurredAt()) + " by " + escape(by(deploy));
	}

	private static String stage(Deploy deploy) {
		String stage = deploy.stage().name().toLowerCase().replace('_', ' ');
		return deploy.progress()
			.map((progress) -> stage + " " + progress.instances().succeeded() + "/" + progress.instances().total()
					+ " instances")
			.orElse(stage);
	}

	private static String link(Deploy deploy) {
		return "<a href=\"/deploys/" + escape(deploy.deployId()) + "\">" + escape(deploy.deployId()) + "</a>";
	}

	private static String sha(Deploy deploy) {
		return "<code>" + escape(Describe.sha(deploy.request().map((requested) -> requested.sha()).orElse(null)))
				+ "</code>";
	}

	private static String by(Deploy deploy) {
		return deploy.request().map((requested) -> requested.requestedBy().name()).orElse("?");
	}

	private static String distribution(DeliveryStats.Distribution figure) {
		return (figure.count() == 0) ? "none yet" : "median " + Describe.duration(figure.p50()) + ", p90 "
				+ Describe.duration(figure.p90()) + " " + band(figure.band());
	}

	private static String band(DeliveryStats.Band band) {
		return "<span class=\"band\">" + band.name().toLowerCase() + "</span>";
	}

	static String escape(String text) {
		return text.replace("&", "&amp;")
			.replace("<", "&lt;")
			.replace(">", "&gt;")
			.replace("\"", "&quot;")
			.replace("'", "&#39;");
	}

}
