package io.stopbob.ingress.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ingress.deploy.Problem;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.deploy.RequestPolicy;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ingress.thread.ThreadMessages;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.operations.Operation.Decision;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.slack.SlackText;

/**
 * A second person for environments that want one: approve or reject from the buttons in
 * the deploy's thread. The requester cannot approve their own deploy (they may withdraw
 * it with Reject); a request nobody decides expires. Every decision rewrites the messages
 * in place, so no button looks alive after it.
 */
public class Approvals {

	private final Board board;

	private final Ledger ledger;

	private final RequestDeploy requestDeploy;

	private final RequestPolicy policy;

	private final Recorder recorder;

	private final SlackWorkspace slack;

	private final Catalog catalog;

	private final Clock clock;

	/**
	 * How long after its approval a request whose start failed is started by the sweeper:
	 * an approval is for now, not for tomorrow (pressing Approve again still starts it).
	 */
	private static final Duration STARTS_WITHIN = Duration.ofMinutes(10);

	/**
	 * Approved requests whose start was refused (busy, locked meanwhile), and when: the
	 * thread says so, and the sweeper does not try again. One started is on the ledger
	 * instead; one whose start failed (Slack or the broker away) is in neither, and is
	 * tried again. Bounded by age: kept {@link #STARTS_WITHIN}, the sweeper's window.
	 */
	private final Map<String, Instant> refused = new ConcurrentHashMap<>();

	public Approvals(Board board, Ledger ledger, RequestDeploy requestDeploy, RequestPolicy policy, Recorder recorder,
			SlackWorkspace slack, Catalog catalog, Clock clock) {
		this.board = board;
		this.ledger = ledger;
		this.requestDeploy = requestDeploy;
		this.policy = policy;
		this.recorder = recorder;
		this.slack = slack;
		this.catalog = catalog;
		this.clock = clock;
	}

	/** Approves or rejects; returns what the person who pressed the button reads. */
	public String decide(String deployId, Person by, boolean approve) {
		Board.Approval known = this.board.approval(deployId)
			.orElseThrow(() -> new Refusal("I know no approval request " + SlackText.escape(deployId) + "."));
		return this.requestDeploy.exclusively(known.held().target(), () -> {
			Board.Approval approval = this.board.approval(deployId).orElseThrow();
			Board.Held held = approval.held();
			if (approve && approvedNotStarted(approval)) {
				// Approved before, and its start did not go through (Slack or the broker
				// away): pressing Approve again tries again, as the approver it had.
				return start(held, approval.decidedBy());
			}
			if (!approval.pending()) {
				return "Already decided: " + approval.decision().name().toLowerCase()
						+ ((approval.decidedBy() != null) ? " by " + SlackText.escape(approval.decidedBy().name()) : "")
						+ " at " + Describe.time(approval.decidedAt()) + ".";
			}
			Instant now = this.clock.instant();
			if (!held.request().expiresAt().isAfter(now)) {
				expire(approval);
				return "Too late: the request expired at " + Describe.time(held.request().expiresAt()) + ".";
			}
			boolean requester = held.requester().id().equals(by.id());
			if (approve && requester) {
				throw new Refusal("You asked for this deploy, so someone else who may deploy " + held.target().app()
						+ " to " + held.target().environment() + " must approve it. (Reject withdraws it.)");
			}
			var environment = Targets.find(this.catalog, held.target().app(), held.target().environment())
				.environment();
			if (!requester && !this.policy.mayDeploy(by.id(), environment)) {
				throw new Refusal("You may not deploy " + held.target().app() + " to " + held.target().environment()
						+ ", so you cannot decide on deploys there.");
			}
			Decision decision = approve ? Decision.APPROVED : Decision.REJECTED;
			this.recorder.record(held.target(), deployId, by, new Operation.ApprovalDecided(decision, null));
			settle(held, decision, by, now);
			return approve ? start(held, by) : "Rejected " + deployId + ". Nothing was deployed.";
		});
	}

	/**
	 * Expires requests past their time and starts approved ones a restart interrupted
	 * (decided, but not on the pipeline yet), of the targets this instance owns.
	 */
	public void sweep(Predicate<Target> owned) {
		Instant now = this.clock.instant();
		this.refused.values().removeIf((at) -> at.isBefore(now.minus(STARTS_WITHIN)));
		for (Board.Approval approval : this.board.approvals()) {
			Board.Held held = approval.held();
			if (!owned.test(held.target())) {
				continue;
			}
			if (approval.pending() && !held.request().expiresAt().isAfter(now)) {
				this.requestDeploy.exclusively(held.target(), () -> {
					if (this.board.approval(held.id()).map(Board.Approval::pending).orElse(false)) {
						expire(approval);
					}
					return null;
				});
			}
			else if (approvedNotStarted(approval) && approval.decidedAt() != null
					&& Duration.between(approval.decidedAt(), now).compareTo(STARTS_WITHIN) < 0) {
				this.requestDeploy.exclusively(held.target(), () -> start(held, approval.decidedBy()));
			}
		}
	}

	private boolean approvedNotStarted(Board.Approval approval) {
		return approval.decision() == Decision.APPROVED && !this.refused.containsKey(approval.held().id())
				&& this.ledger.find(approval.held().id()).flatMap((deploy) -> deploy.request()).isEmpty();
	}

	private String start(Board.Held held, Person approver) {
		RequestDeploy.Result result = this.requestDeploy.held(held.id(), DeployQueue.toRequest(held),
				held.request().thread(), approver);
		if (result instanceof RequestDeploy.Result.Refused refused) {
			this.refused.put(held.id(), this.clock.instant());
			String why = refused.problems().stream().map(Problem::message).collect(Collectors.joining(" "));
			this.slack.updateThreadStart(held.request().thread(), held.id(),
					ThreadMessages.notDeployed(DeployQueue.toRequest(held), held.id(), "approved, but " + why));
			return "Approved, but it cannot start: " + SlackText.escape(why);
		}
		return "Approved: " + held.id() + " is on its way.";
	}

	private void expire(Board.Approval approval) {
		Board.Held held = approval.held();
		this.recorder.record(held.id() + ":expired", held.target(), held.id(), Recorder.STOP_BOB,
				new Operation.ApprovalDecided(Decision.EXPIRED, null));
		settle(held, Decision.EXPIRED, Recorder.STOP_BOB, held.request().expiresAt());
	}

	/**
	 * Rewrites the approval message (its buttons go) and, if nothing deploys, the
	 * thread's first message.
	 */
	private void settle(Board.Held held, Decision decision, Person by, Instant at) {
		var thread = held.request().thread();
		if (held.request().approvalTs() != null) {
			this.slack.resolve(thread, held.request().approvalTs(), held.id(),
					ThreadMessages.approvalDecided(decision, by, at));
		}
		if (decision != Decision.APPROVED) {
			this.slack
				.updateThreadStart(thread, held.id(), ThreadMessages.notDeployed(DeployQueue.toRequest(held), held.id(),
						(decision == Decision.REJECTED) ? "rejected by " + by.name() : "nobody approved it in time"));
		}
	}

}
