package io.stopbob.ingress.deploy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.stopbob.ingress.deploy.Problem.Field;
import io.stopbob.ingress.deploy.Problem.Kind;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.operations.Board;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Environment;

/**
 * The checks every request passes, whichever way it came in: a well-formed SHA, an app
 * and environment from the catalog, a person allowed there, a target that is neither
 * locked nor frozen (rollbacks pass both) and has nothing in flight or awaiting approval.
 */
public class RequestPolicy {

	private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,40}");

	private static final int MAX_REASON = 500;

	/** How long a deploy runs before a busy refusal says how to re-drive it. */
	private static final Duration STUCK_AFTER = Duration.ofMinutes(30);

	private final Catalog catalog;

	private final Ledger ledger;

	private final SlackWorkspace slack;

	private final Board board;

	private final Clock clock;

	public RequestPolicy(Catalog catalog, Ledger ledger, Board board, SlackWorkspace slack, Clock clock) {
		this.catalog = catalog;
		this.ledger = ledger;
		this.board = board;
		this.slack = slack;
		this.clock = clock;
	}

	public List<Problem> check(DeployRequest request) {
		List<Problem> problems = new ArrayList<>();
		if (request.sha() == null || !SHA.matcher(request.sha()).matches()) {
			problems.add(new Problem(Field.SHA, Kind.INVALID, "A commit SHA is 7 to 40 hex characters (0-9, a-f)."));
		}
		if (request.reason() != null && (request.reason().length() > MAX_REASON || hasControl(request.reason()))) {
			problems.add(new Problem(Field.REASON, Kind.INVALID,
					"A reason is at most " + MAX_REASON + " characters, without control characters."));
		}
		if (request.emergency() != null
				&& (request.emergency().length() > MAX_REASON || hasControl(request.emergency()))) {
			problems.add(new Problem(Field.EMERGENCY, Kind.INVALID,
					"An emergency reason is at most " + MAX_REASON + " characters, without control characters."));
		}
		Optional<App> app = this.catalog.app(request.app());
		if (app.isEmpty()) {
			problems.add(new Problem(Field.APP, Kind.INVALID,
					"Unknown app '" + request.app() + "'. Known apps: " + String.join(", ", this.catalog.appNames())));
			return problems;
		}
		Optional<Environment> environment = app.get().environment(request.environment());
		if (environment.isEmpty()) {
			problems.add(new Problem(Field.ENVIRONMENT, Kind.INVALID, request.app() + " has no environment '"
					+ request.environment() + "'. Choose one of: " + String.join(", ", app.get().environmentNames())));
			return problems;
		}
		if (!mayDeploy(request.requester().id(), environment.get())) {
			problems.add(new Problem(Field.ENVIRONMENT, Kind.FORBIDDEN,
					"You are not on the list of people who may deploy " + request.app() + " to " + request.environment()
							+ ". Ask someone who is, or a catalog owner."));
			return problems;
		}
		Instant now = this.clock.instant();
		if (request.kind() != PipelineEvent.Kind.ROLLBACK) {
			this.board.lock(request.target(), now)
				.ifPresent((lock) -> problems.add(new Problem(Field.ENVIRONMENT, Kind.CLOSED,
						Describe.lock(request.target(), lock, now) + " Unlock it with `/stop unlock " + request.app()
								+ " " + request.environment() + "`; rollbacks still pass.")));
			environment.get()
				.frozenAt(now)
				.filter((window) -> request.emergency() == null)
				.ifPresent((window) -> problems.add(new Problem(Field.EMERGENCY, Kind.CLOSED, request.target()
						+ " is frozen: " + window.describe()
						+ ". In an emergency, add `--emergency` and why to the command (or fill the modal's emergency"
						+ " field): the reason is recorded and announced in the channel.")));
		}
		this.ledger.inFlight(request.target())
			.ifPresent((busy) -> problems.add(new Problem(Field.ENVIRONMENT, Kind.CONFLICT, busyMessage(busy))));
		// A request waiting for its second person holds the target, but not against a
		// rollback.
		if (this.ledger.inFlight(request.target()).isEmpty() && request.kind() != PipelineEvent.Kind.ROLLBACK) {
			this.board.pendingApproval(request.target())
				.ifPresent((pending) -> problems.add(new Problem(Field.ENVIRONMENT, Kind.CONFLICT,
						request.target() + " is busy: " + pending.held().requester().name() + "'s deploy of "
								+ Describe.sha(pending.held().request().sha()) + " (" + pending.held().id()
								+ ") waits for approval until " + Describe.time(pending.held().request().expiresAt())
								+ ".")));
		}
		return problems;
	}

	/** Whether the person is among the environment's deployers. */
	public boolean mayDeploy(String userId, Environment environment) {
		Environment.Deployers deployers = environment.deployers();
		return deployers.everyone() || deployers.users().contains(userId)
				|| deployers.groups().stream().anyMatch((group) -> this.slack.inGroup(userId, group));
	}

	private String busyMessage(Deploy busy) {
		String who = busy.request().map((requested) -> requested.requestedBy().name()).orElse("someone");
		String sha = busy.request().map((requested) -> requested.sha()).orElse("?");
		Instant since = busy.requestedAt().orElse(this.clock.instant());
		Duration ago = Duration.between(since, this.clock.instant());
		return busy.target() + " is busy: " + who + " is deploying " + Describe.sha(sha) + " (" + busy.deployId()
				+ ", stage " + busy.stage().name().toLowerCase() + ") since " + Describe.time(since) + " ("
				+ ago.toMinutes() + " min ago). Try again when it finishes, or queue it."
				+ ((ago.compareTo(STUCK_AFTER) >= 0) ? " If it seems stuck, an operator can re-drive it with `bin/stop"
						+ " replay --deploy " + busy.deployId() + "`." : "");
	}

	static boolean hasControl(String text) {
		return text.chars().anyMatch((c) -> Character.isISOControl(c) && c != '\n' && c != '\t');
	}

}
