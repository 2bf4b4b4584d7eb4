package io.stopbob.ledger.operations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Operation.ApprovalDecided;
import io.stopbob.ledger.operations.Operation.AwaitingApproval;
import io.stopbob.ledger.operations.Operation.Decision;
import io.stopbob.ledger.operations.Operation.HeldRequest;
import io.stopbob.ledger.operations.Operation.LockReleased;
import io.stopbob.ledger.operations.Operation.LockSet;
import io.stopbob.ledger.operations.Operation.QueueLeft;
import io.stopbob.ledger.operations.Operation.Queued;

/**
 * The projection of {@code target-operations} and {@code user-preferences}: each target's
 * lock, queue and approvals, and each person's settings. Like the ledger it is rebuilt
 * from the topics, and applying an event twice changes nothing.
 */
public final class Board {

	private final Set<String> seen = new HashSet<>();

	private final Map<Target, Lock> locks = new ConcurrentHashMap<>();

	private final Map<Target, LinkedHashMap<String, Held>> queues = new ConcurrentHashMap<>();

	private final Map<String, Approval> approvals = new ConcurrentHashMap<>();

	private final Map<String, Preference> preferences = new ConcurrentHashMap<>();

	/** Applies the operation; false, changing nothing, when it was applied before. */
	public synchronized boolean apply(Operation operation) {
		if (!this.seen.add(operation.meta().eventId())) {
			return false;
		}
		Target target = operation.meta().target();
		String id = operation.meta().deployId();
		Instant at = operation.meta().occurredAt();
		if (operation.change() instanceof LockSet set) {
			this.locks.put(target, new Lock(id, operation.actor(), set.reason(), at, set.until(), set.automatic()));
		}
		else if (operation.change() instanceof LockReleased) {
			this.locks.remove(target);
		}
		else if (operation.change() instanceof Queued queued) {
			this.queues.computeIfAbsent(target, (key) -> new LinkedHashMap<>())
				.putIfAbsent(id, new Held(id, target, operation.actor(), queued.request(), at));
		}
		else if (operation.change() instanceof QueueLeft) {
			LinkedHashMap<String, Held> queue = this.queues.get(target);
			if (queue != null) {
				queue.remove(id);
			}
		}
		else if (operation.change() instanceof AwaitingApproval awaiting) {
			this.approvals.putIfAbsent(id,
					new Approval(new Held(id, target, operation.actor(), awaiting.request(), at), null, null, null));
		}
		else if (operation.change() instanceof ApprovalDecided decided) {
			this.approvals.computeIfPresent(id, (key, approval) -> (approval.decision() != null) ? approval
					: new Approval(approval.held(), decided.decision(), operation.actor(), at));
		}
		return true;
	}

	/** Applies the setting unless a newer one is known. */
	public synchronized boolean apply(Preference preference) {
		if (!this.seen.add(preference.eventId())) {
			return false;
		}
		this.preferences.merge(preference.userId(), preference,
				(current, candidate) -> candidate.occurredAt().isBefore(current.occurredAt()) ? current : candidate);
		return true;
	}

	/** The lock on the target at {@code now}; a lock past its expiry is no lock. */
	public Optional<Lock> lock(Target target, Instant now) {
		return Optional.ofNullable(this.locks.get(target))
			.filter((lock) -> lock.until() == null || lock.until().isAfter(now));
	}

	/** The target's queue, the next to start first. */
	public synchronized List<Held> queue(Target target) {
		LinkedHashMap<String, Held> queue = this.queues.get(target);
		return (queue != null) ? List.copyOf(queue.values()) : List.of();
	}

	/** The queued deploy with this id, on whichever target. */
	public synchronized Optional<Held> queued(String id) {
		return this.queues.values().stream().map((queue) -> queue.get(id)).filter((held) -> held != null).findFirst();
	}

	/** Targets that have a queue. */
	public synchronized List<Target> queuedTargets() {
		return this.queues.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().isEmpty())
			.map(Map.Entry::getKey)
			.toList();
	}

	public Optional<Approval> approval(String deployId) {
		return Optional.ofNullable(this.approvals.get(deployId));
	}

	/** The request of the target that waits for a second person, if any. */
	public Optional<Approval> pendingApproval(Target target) {
		return this.approvals.values()
			.stream()
			.filter((approval) -> approval.decision() == null && approval.held().target().equals(target))
			.findFirst();
	}

	/** Every approval, decided or not. */
	public List<Approval> approvals() {
		return new ArrayList<>(this.approvals.values());
	}

	/**
	 * Whether the person gets a direct message when their deploy ends (yes unless they
	 * said no).
	 */
	public boolean directMessages(String userId) {
		Preference preference = this.preferences.get(userId);
		return preference == null || preference.directMessages();
	}

	/** A lock: who set it, when, why, and until when. */
	public record Lock(String id, Person by, String reason, Instant since, Instant until, boolean automatic) {
	}

	/** A request held on the board: queued, or awaiting approval. */
	public record Held(String id, Target target, Person requester, HeldRequest request, Instant since) {
	}

	/** A request for a second person, and its decision once there is one. */
	public record Approval(Held held, Decision decision, Person decidedBy, Instant decidedAt) {

		public boolean pending() {
			return this.decision == null;
		}

	}

}
