package io.stopbob.ledger.operations;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
import io.stopbob.platform.memory.Bounded;

/**
 * The projection of {@code target-operations} and {@code user-preferences}: each target's
 * lock, queue and approvals, and each person's settings. Like the ledger it is rebuilt
 * from the topics, and applying an event twice changes nothing.
 * <p>
 * Memory is bounded by {@link Limits}. Locks and queues are per target, preferences per
 * person; of the ids applied only the newest are remembered. A second copy comes from an
 * instance's own write read back from the log or a redelivery of the uncommitted tail,
 * both far newer than that; an older one is applied again in log order, and every change
 * (set or release a lock, join or leave a queue, the first decision) lands the same way.
 */
public final class Board {

	private final Limits limits;

	private final Set<String> seen;

	/** Decided approvals, the oldest first: beyond the limit they are forgotten. */
	private final ArrayDeque<String> decided = new ArrayDeque<>();

	private final Map<Target, Lock> locks = new ConcurrentHashMap<>();

	private final Map<Target, LinkedHashMap<String, Held>> queues = new ConcurrentHashMap<>();

	private final Map<String, Approval> approvals = new ConcurrentHashMap<>();

	private final Map<String, Preference> preferences = new ConcurrentHashMap<>();

	public Board() {
		this(Limits.DEFAULT);
	}

	public Board(Limits limits) {
		this.limits = limits;
		this.seen = Bounded.newestOf(limits.idsRemembered());
	}

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
		else if (operation.change() instanceof ApprovalDecided decision) {
			Approval approval = this.approvals.get(id);
			if (approval != null && approval.pending()) {
				this.approvals.put(id, new Approval(approval.held(), decision.decision(), operation.actor(), at));
				this.decided.addLast(id);
				while (this.decided.size() > this.limits.decidedApprovals()) {
					this.approvals.remove(this.decided.removeFirst());
				}
			}
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

	/**
	 * How much the board holds.
	 *
	 * @param idsRemembered ids of the newest operations and settings applied
	 * @param decidedApprovals decided approvals held, for the owner's check and the
	 * thread's word
	 */
	public record Limits(int idsRemembered, int decidedApprovals) {

		public static final Limits DEFAULT = new Limits(10_000, 10_000);

		public Limits {
			if (idsRemembered < 1 || decidedApprovals < 1) {
				throw new IllegalArgumentException("a board remembers at least one id and decided approval");
			}
		}

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
