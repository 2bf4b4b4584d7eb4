package io.stopbob.ledger.operations;

import java.time.Instant;

import io.stopbob.ledger.PipelineEvent.FreezeOverride;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.ThreadRef;

/**
 * A change to how a target may be deployed, as the domain sees it: a lock, the queue, an
 * approval. {@code meta.deployId} is the deploy it concerns, or the lock's own id.
 *
 * @param actor who did it (StoP Bob itself for automatic locks and expiries)
 */
public record Operation(Meta meta, Person actor, Change change) {

	/** What changed. */
	public sealed interface Change {

	}

	/** The target refuses deploys (not rollbacks) until released or {@code until}. */
	public record LockSet(String reason, Instant until, boolean automatic) implements Change {
	}

	public record LockReleased(String note) implements Change {
	}

	/** A deploy waits behind the one in flight; it starts when the target is free. */
	public record Queued(HeldRequest request) implements Change {
	}

	/** A deploy waits for a second person until {@code request.expiresAt}. */
	public record AwaitingApproval(HeldRequest request) implements Change {
	}

	public record QueueLeft(Exit why, String message) implements Change {
	}

	public record ApprovalDecided(Decision decision, String note) implements Change {
	}

	public enum Exit {

		STARTED, CANCELLED, REFUSED

	}

	public enum Decision {

		APPROVED, REJECTED, EXPIRED

	}

	/**
	 * A request kept until it may start.
	 *
	 * @param thread the deploy's thread, when it has one already (approvals do)
	 * @param approvalTs the message with the Approve and Reject buttons
	 * @param expiresAt when an approval request lapses
	 */
	public record HeldRequest(String sha, Kind kind, String reason, FreezeOverride override, ThreadRef thread,
			String approvalTs, Instant expiresAt) {
	}

}
