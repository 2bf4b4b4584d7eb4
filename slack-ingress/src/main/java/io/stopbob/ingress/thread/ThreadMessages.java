package io.stopbob.ingress.thread;

import java.time.Duration;
import java.util.stream.Collectors;

import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Progressed;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.slack.SlackText;

/**
 * The words of a deploy thread, rendered from the deploy's state. Anything that came from
 * a person or a repository is escaped.
 */
public final class ThreadMessages {

	private ThreadMessages() {
	}

	public static String started(DeployRequest request, String deployId) {
		String verb = (request.kind() == Kind.ROLLBACK) ? "rolling back" : "deploying";
		return verb + " " + SlackText.escape(request.app()) + " `" + request.shortSha() + "` to "
				+ SlackText.escape(request.environment()) + " (asked by " + SlackText.escape(request.requester().name())
				+ ((request.reason() != null && !request.reason().isBlank()) ? ": " + SlackText.escape(request.reason())
						: "")
				+ ") · " + deployId;
	}

	public static String notStarted(DeployRequest request, String why) {
		return ":x: could not start deploying " + SlackText.escape(request.app()) + " `" + request.shortSha() + "` to "
				+ SlackText.escape(request.environment()) + ": " + SlackText.escape(why) + ". Nothing was changed.";
	}

	static String tagged(Tagged tagged) {
		return ":label: tagged `" + SlackText.escape(tagged.tag()) + "`"
				+ ((tagged.releaseUrl() != null) ? " · " + SlackText.link(tagged.releaseUrl(), "release") : "")
				+ ((tagged.previousTag() != null) ? " (previous: `" + SlackText.escape(tagged.previousTag()) + "`)"
						: " (first release of this target)");
	}

	static String built(Built built, boolean tagShown) {
		String checks = built.checks().isEmpty() ? "all checks"
				: built.checks().stream().map(SlackText::escape).collect(Collectors.joining(", "));
		return ":white_check_mark: build passed" + (built.reused() ? " earlier (reused for this rollback)" : "") + ": "
				+ checks + " on " + SlackText.escape(built.ciProvider())
				+ ((built.buildUrl() != null) ? " · " + SlackText.link(built.buildUrl(), "build") : "")
				+ (tagShown ? "" : " · tag `" + SlackText.escape(built.tag()) + "`");
	}

	static String progress(Progressed progress) {
		var instances = progress.instances();
		StringBuilder text = new StringBuilder(":rocket: rolling out: ").append(instances.succeeded())
			.append('/')
			.append(instances.total())
			.append(" instances done");
		if (progress.batch() != null && progress.batches() != null) {
			text.append(" · batch ").append(progress.batch()).append(" of ").append(progress.batches());
		}
		if (instances.inProgress() > 0) {
			text.append(" · ").append(instances.inProgress()).append(" in progress");
		}
		if (instances.failed() > 0) {
			text.append(" · ").append(instances.failed()).append(" failed");
		}
		text.append(" (").append(progress.state().toLowerCase().replace('_', ' ')).append(')');
		progress.failures()
			.forEach((failure) -> text.append("\n> ")
				.append(SlackText.escape(failure.instanceId()))
				.append(" failed ")
				.append(SlackText.escape((failure.lifecycleEvent() != null) ? failure.lifecycleEvent() : "its check"))
				.append((failure.message() != null) ? ": " + SlackText.escape(failure.message()) : ""));
		return text.toString();
	}

	/** The final word, both in the thread and in the channel. */
	static String finished(Deploy deploy, Finished finished) {
		String app = SlackText.escape(deploy.target().app());
		String environment = SlackText.escape(deploy.target().environment());
		String sha = deploy.request().map((requested) -> requested.sha()).orElse(finished.sha());
		String shortSha = (sha != null) ? "`" + sha.substring(0, Math.min(7, sha.length())) + "`" : "";
		String who = deploy.request()
			.map((requested) -> " (asked by " + SlackText.escape(requested.requestedBy().name()) + ")")
			.orElse("");
		String reason = (finished.reason() != null) ? ": " + SlackText.escape(finished.reason()) : "";
		return switch (finished.outcome()) {
			case SUCCEEDED -> ":tada: " + app + " " + shortSha + " is live on " + environment
					+ deploy.duration().map((took) -> " in " + human(took)).orElse("") + who;
			case FAILED -> ":x: " + app + " " + shortSha + " to " + environment + " failed at "
					+ finished.endedIn().toLowerCase() + reason + who;
			case ROLLED_BACK -> ":leftwards_arrow_with_hook: " + app + " " + shortSha + " to " + environment
					+ " was rolled back" + reason + who;
			case REJECTED ->
				":no_entry: " + app + " " + shortSha + " to " + environment + " was refused" + reason + who;
		};
	}

	static String human(Duration duration) {
		long seconds = duration.toSeconds();
		return (seconds < 60) ? seconds + "s" : (seconds / 60) + "m " + (seconds % 60) + "s";
	}

}
