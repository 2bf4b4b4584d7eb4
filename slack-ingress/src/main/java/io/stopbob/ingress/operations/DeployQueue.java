package io.stopbob.ingress.operations;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ingress.deploy.Problem;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.deploy.RequestPolicy;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.FreezeOverride;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.slack.SlackText;

/**
 * A queue per target: a deploy asked for while the target is busy waits its turn instead
 * of being refused, and starts, in order, when the target is free and unlocked. A queued
 * deploy keeps its deploy id when it starts, so a restart between starting it and taking
 * it off the queue never starts it twice.
 */
public class DeployQueue {

	private final RequestDeploy requestDeploy;

	private final RequestPolicy policy;

	private final Board board;

	private final Ledger ledger;

	private final Recorder recorder;

	private final SlackWorkspace slack;

	private final Catalog catalog;

	private final java.time.Clock clock;

	public DeployQueue(RequestDeploy requestDeploy, RequestPolicy policy, Board board, Ledger ledger, Recorder recorder,
			SlackWorkspace slack, Catalog catalog, java.time.Clock clock) {
		this.requestDeploy = requestDeploy;
		this.policy = policy;
		this.board = board;
		this.ledger = ledger;
		this.recorder = recorder;
		this.slack = slack;
		this.catalog = catalog;
		this.clock = clock;
	}

	/**
	 * Queues the request, or starts it at once if the target is free. Returns what the
	 * person reads.
	 */
	public Queued enqueue(DeployRequest request) {
		return this.requestDeploy.exclusively(request.target(), () -> {
			List<Problem> problems = this.policy.check(request);
			List<Problem> blocking = problems.stream()
				.filter((problem) -> problem.kind() == Problem.Kind.INVALID || problem.kind() == Problem.Kind.FORBIDDEN)
				.toList();
			if (!blocking.isEmpty()) {
				throw new Refusal("Not queued: " + messages(blocking));
			}
			if (problems.isEmpty()) {
				RequestDeploy.Result result = this.requestDeploy.request(request);
				if (result instanceof RequestDeploy.Result.Accepted accepted) {
					return new Queued(accepted.deployId(), 0,
							"The target was free, so it started at once: " + accepted.deployId() + ".");
				}
				throw new Refusal("Not queued: " + messages(((RequestDeploy.Result.Refused) result).problems()));
			}
			String id = this.requestDeploy.newDeployId();
			this.recorder.record(request.target(), id, request.requester(),
					new Operation.Queued(new Operation.HeldRequest(request.sha(), request.kind(), request.reason(),
							(request.emergency() != null) ? new FreezeOverride("", request.emergency()) : null, null,
							null, null)));
			int position = this.board.queue(request.target()).size();
			return new Queued(id, position,
					"Queued " + SlackText.escape(request.app()) + " `" + request.shortSha() + "` for "
							+ request.target() + " as " + id + " (number " + position
							+ " in line). It starts when the target is free and unlocked; `/stop cancel " + id
							+ "` takes it out.");
		});
	}

	/** Takes a queued deploy out; only the person who queued it may. */
	public String cancel(String id, Person by) {
		Board.Held held = this.board.queued(id)
			.orElseThrow(() -> new Refusal(
					"Nothing queued has the id " + SlackText.escape(id) + "; `/stop status <app>` shows the queues."));
		if (!held.requester().id().equals(by.id())) {
			throw new Refusal(
					"Only " + SlackText.escape(held.requester().name()) + ", who queued " + id + ", can cancel it.");
		}
		return this.requestDeploy.exclusively(held.target(), () -> {
			if (this.board.queued(id).isEmpty()) {
				throw new Refusal(id + " is no longer queued: it has started or was cancelled.");
			}
			this.recorder.record(held.target(), id, by, new Operation.QueueLeft(Operation.Exit.CANCELLED, null));
			return "Cancelled " + id + " (" + Describe.sha(held.request().sha()) + " to " + held.target() + ").";
		});
	}

	/** Starts the next queued deploy of every target this instance owns that is free. */
	public void advance(Predicate<Target> owned) {
		for (Target target : this.board.queuedTargets().stream().filter(owned).toList()) {
			this.requestDeploy.exclusively(target, () -> {
				advance(target);
				return null;
			});
		}
	}

	private void advance(Target target) {
		List<Board.Held> queue = this.board.queue(target);
		if (queue.isEmpty()) {
			return;
		}
		Board.Held head = queue.get(0);
		if (this.ledger.find(head.id()).flatMap((deploy) -> deploy.request()).isPresent()
				|| this.board.approval(head.id()).isPresent()) {
			// Started before a restart, not yet taken off the queue.
			leave(head, Operation.Exit.STARTED, null);
			return;
		}
		if (this.ledger.inFlight(target).isPresent() || this.board.pendingApproval(target).isPresent()
				|| this.board.lock(target, this.clock.instant()).isPresent()) {
			return;
		}
		DeployRequest request = toRequest(head);
		RequestDeploy.Result result = this.requestDeploy.held(head.id(), request, null, null);
		if (result instanceof RequestDeploy.Result.Accepted) {
			leave(head, Operation.Exit.STARTED, null);
			return;
		}
		List<Problem> problems = ((RequestDeploy.Result.Refused) result).problems();
		if (problems.stream()
			.allMatch((problem) -> problem.kind() == Problem.Kind.CONFLICT || problem.kind() == Problem.Kind.CLOSED)) {
			// Frozen, or busy again: it waits.
			return;
		}
		String why = messages(problems);
		leave(head, Operation.Exit.REFUSED, why);
		this.catalog.app(target.app())
			.ifPresent((app) -> this.slack.say(app.deployChannel(), head.id() + ":dropped",
					":no_entry: " + SlackText.escape(head.requester().name()) + "'s queued deploy " + head.id()
							+ " of `" + Describe.sha(head.request().sha()) + "` to " + target
							+ " was taken off the queue: " + SlackText.escape(why)));
	}

	private void leave(Board.Held held, Operation.Exit why, String message) {
		this.recorder.record(held.id() + ":left", held.target(), held.id(), held.requester(),
				new Operation.QueueLeft(why, message));
	}

	static DeployRequest toRequest(Board.Held held) {
		Operation.HeldRequest request = held.request();
		return new DeployRequest(held.target().app(), held.target().environment(), request.sha(), held.requester(),
				request.reason(), request.kind(), (request.override() != null) ? request.override().reason() : null);
	}

	private static String messages(List<Problem> problems) {
		return problems.stream().map(Problem::message).collect(Collectors.joining(" "));
	}

	/**
	 * @param position 1 for next in line; 0 when it started at once
	 */
	public record Queued(String deployId, int position, String message) {
	}

}
