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
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.rules.TargetRules;
import io.stopbob.ledger.rules.TargetRules.Obstacle;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Environment;

/**
 * The checks every request passes, whichever way it came in: a well-formed SHA, an app
 * and environment from the catalog, and the target's rules ({@link TargetRules}: a person
 * allowed there, a target that is neither locked nor frozen, nothing in flight or
 * awaiting approval), in words with what to do about each. The target's owner checks the
 * rules again; this answers the person at once.
 */
public class RequestPolicy {

	private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,40}");

	private static final int MAX_REASON = 500;

	/** How long a deploy runs before a busy refusal says how to re-drive it. */
	private static final Duration STUCK_AFTER = Duration.ofMinutes(30);

	private final Catalog catalog;

	private final TargetRules rules;

	private final Clock clock;

	public RequestPolicy(Catalog catalog, TargetRules rules, Clock clock) {
		this.catalog = catalog;
		this.rules = rules;
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
		Instant now = this.clock.instant();
		for (Obstacle obstacle : this.rules.obstacles(request.target(), environment.get(), request.kind(),
				request.requester().id(), request.emergency() != null, null, now)) {
			problems.add(problem(request, obstacle, now));
		}
		return problems;
	}

	/** Whether the person is among the environment's deployers. */
	public boolean mayDeploy(String userId, Environment environment) {
		return this.rules.mayDeploy(userId, environment);
	}

	/** The obstacle in the words a person reads, with what they can do about it. */
	private Problem problem(DeployRequest request, Obstacle obstacle, Instant now) {
		if (obstacle instanceof Obstacle.NotADeployer) {
			return new Problem(Field.ENVIRONMENT, Kind.FORBIDDEN, "You are not on the list of people who may deploy "
					+ request.app() + " to " + request.environment() + ". Ask someone who is, or a catalog owner.");
		}
		if (obstacle instanceof Obstacle.Locked locked) {
			return new Problem(Field.ENVIRONMENT, Kind.CLOSED,
					Describe.lock(request.target(), locked.lock(), now) + " Unlock it with `/stop unlock "
							+ request.app() + " " + request.environment() + "`; rollbacks still pass.");
		}
		if (obstacle instanceof Obstacle.Frozen frozen) {
			return new Problem(Field.EMERGENCY, Kind.CLOSED, request.target() + " is frozen: "
					+ frozen.window().describe()
					+ ". In an emergency, add `--emergency` and why to the command (or fill the modal's emergency"
					+ " field): the reason is recorded and announced in the channel.");
		}
		if (obstacle instanceof Obstacle.Busy busy) {
			return new Problem(Field.ENVIRONMENT, Kind.CONFLICT, busyMessage(busy.deploy()));
		}
		if (obstacle instanceof Obstacle.AwaitingApproval pending) {
			Board.Held held = pending.approval().held();
			return new Problem(Field.ENVIRONMENT, Kind.CONFLICT,
					request.target() + " is busy: " + held.requester().name() + "'s deploy of "
							+ Describe.sha(held.request().sha()) + " (" + held.id() + ") waits for approval until "
							+ Describe.time(held.request().expiresAt()) + ".");
		}
		return new Problem(Field.ENVIRONMENT, Kind.FORBIDDEN, obstacle.describe(request.target()) + ".");
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
