package io.stopbob.ledger.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation.Decision;
import io.stopbob.platform.catalog.Environment;
import io.stopbob.platform.catalog.FreezeWindow;
import io.stopbob.platform.catalog.GroupMembership;

/**
 * Whether a deploy may run on its target: a person allowed there, a target neither locked
 * nor frozen (rollbacks pass both), nothing else in flight or waiting for approval there,
 * and the approval the environment wants. Asked twice with the same state: by
 * slack-ingress, for a quick answer to the person, and by the target's owner
 * (release-tagger), whose answer decides, so a request that passed a stale instance is
 * still stopped.
 */
public final class TargetRules {

	private final Ledger ledger;

	private final Board board;

	private final GroupMembership groups;

	public TargetRules(Ledger ledger, Board board, GroupMembership groups) {
		this.ledger = ledger;
		this.board = board;
		this.groups = groups;
	}

	/** Whether the person is among the environment's deployers. */
	public boolean mayDeploy(String userId, Environment environment) {
		Environment.Deployers deployers = environment.deployers();
		return deployers.everyone() || deployers.users().contains(userId)
				|| deployers.groups().stream().anyMatch((group) -> this.groups.contains(group, userId));
	}

	/**
	 * What stands in the way of a deploy of the target at {@code now}: for a new request
	 * ({@code deployId} null) anything in flight; for one on the log, what was asked
	 * before it.
	 * @param emergency whether the requester gave an emergency reason (freezes pass)
	 */
	public List<Obstacle> obstacles(Target target, Environment environment, Kind kind, String requesterId,
			boolean emergency, String deployId, Instant now) {
		if (!mayDeploy(requesterId, environment)) {
			return List.of(new Obstacle.NotADeployer());
		}
		List<Obstacle> obstacles = new ArrayList<>();
		if (kind != Kind.ROLLBACK) {
			this.board.lock(target, now).ifPresent((lock) -> obstacles.add(new Obstacle.Locked(lock)));
			environment.frozenAt(now)
				.filter((window) -> !emergency)
				.ifPresent((window) -> obstacles.add(new Obstacle.Frozen(window)));
		}
		Optional<Deploy> busy = (deployId == null) ? this.ledger.inFlight(target)
				: this.ledger.inFlightBefore(target, deployId).stream().findFirst();
		busy.ifPresent((deploy) -> obstacles.add(new Obstacle.Busy(deploy)));
		// A request waiting for its second person holds the target, but not against a
		// rollback.
		if (busy.isEmpty() && kind != Kind.ROLLBACK) {
			this.board.pendingApproval(target)
				.filter((pending) -> !pending.held().id().equals(deployId))
				.ifPresent((pending) -> obstacles.add(new Obstacle.AwaitingApproval(pending)));
		}
		return obstacles;
	}

	/**
	 * The owner's check of a request on the log: the obstacles above, and, where the
	 * environment wants a second person, their approval of this very deploy on the board.
	 */
	public List<Obstacle> obstacles(Requested request, Environment environment, Instant now) {
		List<Obstacle> obstacles = new ArrayList<>(obstacles(request.meta().target(), environment, request.kind(),
				request.requestedBy().id(), request.override() != null, request.deployId(), now));
		if (obstacles.stream().noneMatch(Obstacle.NotADeployer.class::isInstance) && environment.approval().required()
				&& request.kind() == Kind.DEPLOY) {
			notApproved(request, environment).ifPresent(obstacles::add);
		}
		return obstacles;
	}

	private Optional<Obstacle> notApproved(Requested request, Environment environment) {
		Optional<Board.Approval> approval = this.board.approval(request.deployId());
		if (approval.isEmpty() || approval.get().decision() != Decision.APPROVED) {
			return Optional.of(new Obstacle.NotApproved("no approval of this deploy is on the log"));
		}
		String approver = approval.get().decidedBy().id();
		if (request.approvedBy() == null || !request.approvedBy().id().equals(approver)) {
			return Optional.of(new Obstacle.NotApproved("the request names another approver than the log"));
		}
		if (approver.equals(request.requestedBy().id()) || !mayDeploy(approver, environment)) {
			return Optional.of(new Obstacle.NotApproved(
					"it was approved by " + approval.get().decidedBy().name() + ", who may not approve it"));
		}
		return Optional.empty();
	}

	/** Why a deploy may not run now; each says what a person reads, in plain words. */
	public sealed interface Obstacle {

		/** The words the owner writes on a refused deploy. */
		String describe(Target target);

		/** The requester is not among the environment's deployers. */
		record NotADeployer() implements Obstacle {

			@Override
			public String describe(Target target) {
				return "the requester may not deploy to " + target;
			}

		}

		record Locked(Board.Lock lock) implements Obstacle {

			@Override
			public String describe(Target target) {
				return target + " is locked by " + this.lock.by().name() + ": " + this.lock.reason();
			}

		}

		record Frozen(FreezeWindow window) implements Obstacle {

			@Override
			public String describe(Target target) {
				return target + " is frozen (" + this.window.describe() + ") and no emergency reason was given";
			}

		}

		record Busy(Deploy deploy) implements Obstacle {

			@Override
			public String describe(Target target) {
				return target + " is busy: "
						+ this.deploy.request().map((r) -> r.requestedBy().name()).orElse("someone") + " is deploying "
						+ this.deploy.request()
							.map((r) -> r.sha().substring(0, Math.min(7, r.sha().length())))
							.orElse("?")
						+ " (" + this.deploy.deployId() + ") since "
						+ this.deploy.requestedAt().map(Object::toString).orElse("?");
			}

		}

		record AwaitingApproval(Board.Approval approval) implements Obstacle {

			@Override
			public String describe(Target target) {
				return target + " is busy: " + this.approval.held().requester().name() + "'s deploy "
						+ this.approval.held().id() + " waits for approval";
			}

		}

		/** The environment wants a second person, and the log has no valid approval. */
		record NotApproved(String why) implements Obstacle {

			@Override
			public String describe(Target target) {
				return target + " wants a second person's approval, and " + this.why;
			}

		}

	}

}
