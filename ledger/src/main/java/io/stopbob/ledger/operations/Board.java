package io.stopbob.ledger.operations;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

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

	/** Ids of the newest operations and settings applied, with their key. */
	private final Map<String, String> seen;

	/**
	 * The operations that make the state now (a lock's setting, a queued request, an
	 * approval asked for and its decision), by event id in the order applied: what a
	 * snapshot holds.
	 */
	private final Map<String, Operation> standing = new LinkedHashMap<>();

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
		this.seen = Bounded.newest(limits.idsRemembered());
	}

	/** Applies the operation; false, changing nothing, when it was applied before. */
	public synchronized boolean apply(Operation operation) {
		Target target = operation.meta().target();
		if (this.seen.putIfAbsent(operation.meta().eventId(), target.toString()) != null) {
			return false;
		}
		String id = operation.meta().deployId();
		Instant at = operation.meta().occurredAt();
		if (operation.change() instanceof LockSet set) {
			Lock replaced = this.locks.put(target, new Lock(id, operation.actor(), set.reason(), at, set.until(),
					set.automatic(), eventId(operation)));
			if (replaced != null) {
				this.standing.remove(replaced.eventId());
			}
			this.standing.put(operation.meta().eventId(), operation);
		}
		else if (operation.change() instanceof LockReleased) {
			Lock released = this.locks.remove(target);
			if (released != null) {
				this.standing.remove(released.eventId());
			}
		}
		else if (operation.change() instanceof Queued queued) {
			if (this.queues.computeIfAbsent(target, (key) -> new LinkedHashMap<>())
				.putIfAbsent(id,
						new Held(id, target, operation.actor(), queued.request(), at, eventId(operation))) == null) {
				this.standing.put(operation.meta().eventId(), operation);
			}
		}
		else if (operation.change() instanceof QueueLeft) {
			LinkedHashMap<String, Held> queue = this.queues.get(target);
			Held left = (queue != null) ? queue.remove(id) : null;
			if (left != null) {
				this.standing.remove(left.eventId());
			}
		}
		else if (operation.change() instanceof AwaitingApproval awaiting) {
			if (this.approvals.putIfAbsent(id,
					new Approval(new Held(id, target, operation.actor(), awaiting.request(), at, eventId(operation)),
							null, null, null, null)) == null) {
				this.standing.put(operation.meta().eventId(), operation);
			}
		}
		else if (operation.change() instanceof ApprovalDecided decision) {
			Approval approval = this.approvals.get(id);
			if (approval != null && approval.pending()) {
				this.approvals.put(id,
						new Approval(approval.held(), decision.decision(), operation.actor(), at, eventId(operation)));
				this.standing.put(operation.meta().eventId(), operation);
				this.decided.addLast(id);
				while (this.decided.size() > this.limits.decidedApprovals()) {
					Approval forgotten = this.approvals.remove(this.decided.removeFirst());
					if (forgotten != null) {
						this.standing.remove(forgotten.held().eventId());
						this.standing.remove(forgotten.decisionEventId());
					}
				}
			}
		}
		return true;
	}

	private static String eventId(Operation operation) {
		return operation.meta().eventId();
	}

	/**
	 * What rebuilds the board's state of the keys {@code of} accepts (targets, and people
	 * by their user id): the operations that stand, in the order they were applied, and
	 * the settings.
	 */
	public synchronized Snapshot snapshot(Predicate<String> of) {
		List<Operation> operations = this.standing.values()
			.stream()
			.filter((operation) -> of.test(operation.meta().target().toString()))
			.toList();
		List<Preference> settings = this.preferences.values()
			.stream()
			.filter((preference) -> of.test(preference.userId()))
			.toList();
		return new Snapshot(operations, settings);
	}

	/**
	 * Applies a {@link #snapshot} read back, into a board {@link #clear cleared} of it.
	 */
	public synchronized void restore(Snapshot snapshot) {
		snapshot.operations().forEach(this::apply);
		snapshot.preferences().forEach(this::apply);
	}

	/**
	 * Forgets everything of the keys {@code of} accepts, before they are restored or
	 * replayed: what is held of them may be behind.
	 */
	public synchronized void clear(Predicate<String> of) {
		this.seen.values().removeIf(of);
		this.standing.values().removeIf((operation) -> of.test(operation.meta().target().toString()));
		this.locks.keySet().removeIf((target) -> of.test(target.toString()));
		this.queues.keySet().removeIf((target) -> of.test(target.toString()));
		this.approvals.values().removeIf((approval) -> of.test(approval.held().target().toString()));
		this.decided.removeIf((id) -> !this.approvals.containsKey(id));
		this.preferences.keySet().removeIf(of);
	}

	/** Applies the setting unless a newer one is known. */
	public synchronized boolean apply(Preference preference) {
		if (this.seen.putIfAbsent(preference.eventId(), preference.userId()) != null) {
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

	/**
	 * What rebuilds a board's state of some keys.
	 *
	 * @param operations the operations that stand, in the order to apply them
	 * @param preferences people's settings
	 */
	public record Snapshot(List<Operation> operations, List<Preference> preferences) {
	}

	/**
	 * A lock: who set it, when, why, and until when.
	 *
	 * @param eventId the operation that set it
	 */
	public record Lock(String id, Person by, String reason, Instant since, Instant until, boolean automatic,
			String eventId) {
	}

	/**
	 * A request held on the board: queued, or awaiting approval.
	 *
	 * @param eventId the operation that held it
	 */
	public record Held(String id, Target target, Person requester, HeldRequest request, Instant since, String eventId) {
	}

	/**
	 * A request for a second person, and its decision once there is one.
	 *
	 * @param decisionEventId the operation that decided it
	 */
	public record Approval(Held held, Decision decision, Person decidedBy, Instant decidedAt, String decisionEventId) {

		public boolean pending() {
			return this.decision == null;
		}

	}

}
