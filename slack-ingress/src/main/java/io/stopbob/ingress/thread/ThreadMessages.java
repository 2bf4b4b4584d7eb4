package io.stopbob.ingress.thread;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.thread.SlackWorkspace.Button;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.FreezeOverride;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.operations.Operation.Decision;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Progressed;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.slack.SlackText;

/**
 * The words of a deploy thread, rendered from the deploy's state. Anything that came from
 * a person or a repository is escaped.
 */
public final class ThreadMessages {

	/** Action ids of the buttons StoP Bob puts under messages. */
	public static final String APPROVE = "stop_approve";

	public static final String REJECT = "stop_reject";

	public static final String ROLLBACK = "stop_rollback";

	public static final String QUEUE = "stop_queue";

	public static final String CANCEL_QUEUED = "stop_cancel_queued";

	private ThreadMessages() {
	}

	public static String started(DeployRequest request, String deployId, FreezeOverride override, Person approvedBy) {
		String verb = (request.kind() == Kind.ROLLBACK) ? "rolling back" : "deploying";
		return verb + " " + what(request) + " (asked by " + SlackText.escape(request.requester().name())
				+ ((request.reason() != null && !request.reason().isBlank()) ? ": " + SlackText.escape(request.reason())
						: "")
				+ ")" + ((approvedBy != null) ? " · approved by " + SlackText.escape(approvedBy.name()) : "")
				+ ((override != null) ? " · :rotating_light: freeze override (" + SlackText.escape(override.window())
						+ "): " + SlackText.escape(override.reason()) : "")
				+ " · " + deployId;
	}

	public static String awaitingApproval(DeployRequest request, String deployId, FreezeOverride override) {
		return ":hourglass_flowing_sand: waiting for approval: deploying " + what(request) + " (asked by "
				+ SlackText.escape(request.requester().name()) + ")"
				+ ((override != null) ? " · freeze override: " + SlackText.escape(override.reason()) : "") + " · "
				+ deployId;
	}

	public static String approvalAsked(DeployRequest request, Instant expiresAt) {
		return ":raised_hand: " + SlackText.escape(request.requester().name()) + " asks to deploy " + what(request)
				+ ((request.reason() != null) ? " (" + SlackText.escape(request.reason()) + ")" : "")
				+ ". Someone else who may deploy there: approve or reject before " + Describe.time(expiresAt) + ".";
	}

	public static List<Button> approvalButtons(String deployId) {
		return List.of(new Button(APPROVE, "Approve", deployId, "primary"),
				new Button(REJECT, "Reject", deployId, "danger"));
	}

	/** The approval message once decided, its buttons gone. */
	public static String approvalDecided(Decision decision, Person by, Instant at) {
		return switch (decision) {
			case APPROVED ->
				":white_check_mark: approved by " + SlackText.escape(by.name()) + " at " + Describe.time(at);
			case REJECTED -> ":no_entry: rejected by " + SlackText.escape(by.name()) + " at " + Describe.time(at)
					+ ". Nothing was deployed.";
			case EXPIRED ->
				":hourglass: nobody approved it in time (expired " + Describe.time(at) + "). Nothing was deployed.";
		};
	}

	/** The thread's first message when a request ended without a deploy. */
	public static String notDeployed(DeployRequest request, String deployId, String why) {
		return ":no_entry: not deploying " + what(request) + " (asked by "
				+ SlackText.escape(request.requester().name()) + "): " + SlackText.escape(why) + " · " + deployId;
	}

	public static String overridden(DeployRequest request, FreezeOverride override) {
		return ":rotating_light: " + SlackText.escape(request.requester().name()) + " is deploying " + what(request)
				+ " inside the freeze window *" + SlackText.escape(override.window()) + "*. Emergency reason: "
				+ SlackText.escape(override.reason());
	}

	private static String what(DeployRequest request) {
		return SlackText.escape(request.app()) + " `" + request.shortSha() + "` to "
				+ SlackText.escape(request.environment());
	}

	public static String notStarted(DeployRequest request, String why) {
		return ":x: could not start deploying " + SlackText.escape(request.app()) + " `" + request.shortSha() + "` to "
				+ SlackText.escape(request.environment()) + ": " + SlackText.escape(why) + ". Nothing was changed.";
	}

	public static String unconfirmed(DeployRequest request, String why) {
		return ":hourglass: deploying " + what(request) + ": " + SlackText.escape(why) + ".";
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

	/** The deploy's thread as Slack shows it now: its first message, then the replies. */
	public static List<String> transcript(Deploy deploy) {
		List<String> lines = new java.util.ArrayList<>();
		deploy.request()
			.ifPresent((requested) -> lines.add(started(
					new DeployRequest(deploy.target().app(), deploy.target().environment(), requested.sha(),
							requested.requestedBy(), requested.reason(), requested.kind()),
					deploy.deployId(), requested.override(), requested.approvedBy())));
		deploy.tag().ifPresent((tag) -> lines.add(tagged(tag)));
		deploy.build().ifPresent((build) -> lines.add(built(build, deploy.tag().isPresent())));
		deploy.progress().ifPresent((progress) -> lines.add(progress(progress)));
		deploy.finish().ifPresent((finished) -> lines.add(finished(deploy, finished)));
		return lines;
	}

	/** The "Roll back" button under a success: it opens the rollback confirmation. */
	static List<Button> rollbackButton(Deploy deploy) {
		return List
			.of(new Button(ROLLBACK, "Roll back", deploy.target().app() + "/" + deploy.target().environment(), null));
	}

	/** The direct message to the person who asked, when their deploy ends. */
	static String directMessage(Deploy deploy, Finished finished) {
		return "Your deploy " + deploy.deployId() + " ended. " + finished(deploy, finished)
				+ "\n(`/stop notify off` stops these messages.)";
	}

	static String human(Duration duration) {
		long seconds = duration.toSeconds();
		return (seconds < 60) ? seconds + "s" : (seconds / 60) + "m " + (seconds % 60) + "s";
	}

}
