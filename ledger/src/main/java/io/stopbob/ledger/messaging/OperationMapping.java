package io.stopbob.ledger.messaging;

import io.stopbob.events.DeployKind;
import io.stopbob.events.HeldRequest;
import io.stopbob.events.QueueExit;
import io.stopbob.events.TargetOperation;
import io.stopbob.events.UserPreference;
import io.stopbob.ledger.PipelineEvent.FreezeOverride;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.operations.Operation.ApprovalDecided;
import io.stopbob.ledger.operations.Operation.AwaitingApproval;
import io.stopbob.ledger.operations.Operation.Decision;
import io.stopbob.ledger.operations.Operation.Exit;
import io.stopbob.ledger.operations.Operation.LockReleased;
import io.stopbob.ledger.operations.Operation.LockSet;
import io.stopbob.ledger.operations.Operation.QueueLeft;
import io.stopbob.ledger.operations.Operation.Queued;
import io.stopbob.ledger.operations.Preference;

/** Operations and preferences between Avro and the domain, both ways. */
public final class OperationMapping {

	private OperationMapping() {
	}

	public static Operation toDomain(TargetOperation operation) {
		Object change = operation.getChange();
		Operation.Change domain;
		if (change instanceof io.stopbob.events.LockSet set) {
			domain = new LockSet(set.getReason(), set.getUntil(), set.getAutomatic());
		}
		else if (change instanceof io.stopbob.events.LockReleased released) {
			domain = new LockReleased(released.getNote());
		}
		else if (change instanceof HeldRequest held) {
			Operation.HeldRequest request = held(held);
			domain = (request.expiresAt() != null) ? new AwaitingApproval(request) : new Queued(request);
		}
		else if (change instanceof io.stopbob.events.QueueLeft left) {
			domain = new QueueLeft(Exit.valueOf(left.getWhy().name()), left.getMessage());
		}
		else if (change instanceof io.stopbob.events.ApprovalDecided decided) {
			domain = new ApprovalDecided(Decision.valueOf(decided.getDecision().name()), decided.getNote());
		}
		else {
			throw new IllegalArgumentException("unknown operation " + change);
		}
		return new Operation(EventMapping.meta(operation.getMeta()), EventMapping.person(operation.getActor()), domain);
	}

	public static TargetOperation toAvro(Operation operation) {
		Object change;
		if (operation.change() instanceof LockSet set) {
			change = io.stopbob.events.LockSet.newBuilder()
				.setReason(set.reason())
				.setUntil(set.until())
				.setAutomatic(set.automatic())
				.build();
		}
		else if (operation.change() instanceof LockReleased released) {
			change = io.stopbob.events.LockReleased.newBuilder().setNote(released.note()).build();
		}
		else if (operation.change() instanceof Queued queued) {
			change = held(queued.request());
		}
		else if (operation.change() instanceof AwaitingApproval awaiting) {
			change = held(awaiting.request());
		}
		else if (operation.change() instanceof QueueLeft left) {
			change = io.stopbob.events.QueueLeft.newBuilder()
				.setWhy(QueueExit.valueOf(left.why().name()))
				.setMessage(left.message())
				.build();
		}
		else {
			ApprovalDecided decided = (ApprovalDecided) operation.change();
			change = io.stopbob.events.ApprovalDecided.newBuilder()
				.setDecision(io.stopbob.events.Decision.valueOf(decided.decision().name()))
				.setNote(decided.note())
				.build();
		}
		return TargetOperation.newBuilder()
			.setMeta(EventMapping.avroMeta(operation.meta()))
			.setActor(EventMapping.slackUser(operation.actor()))
			.setChange(change)
			.build();
	}

	public static Preference toDomain(UserPreference preference) {
		return new Preference(preference.getEventId(), preference.getUserId(), preference.getDirectMessages(),
				preference.getOccurredAt());
	}

	public static UserPreference toAvro(Preference preference, String producer) {
		return UserPreference.newBuilder()
			.setEventId(preference.eventId())
			.setUserId(preference.userId())
			.setDirectMessages(preference.directMessages())
			.setOccurredAt(preference.occurredAt())
			.setProducer(producer)
			.build();
	}

	private static Operation.HeldRequest held(HeldRequest held) {
		return new Operation.HeldRequest(held.getSha(), Kind.valueOf(held.getKind().name()), held.getReason(),
				(held.getFreezeOverride() != null)
						? new FreezeOverride(held.getFreezeOverride().getWindow(), held.getFreezeOverride().getReason())
						: null,
				(held.getSlackChannel() != null && held.getSlackThreadTs() != null)
						? new ThreadRef(held.getSlackChannel(), held.getSlackThreadTs()) : null,
				held.getApprovalTs(), held.getExpiresAt());
	}

	private static HeldRequest held(Operation.HeldRequest held) {
		return HeldRequest.newBuilder()
			.setSha(held.sha())
			.setKind(DeployKind.valueOf(held.kind().name()))
			.setReason(held.reason())
			.setFreezeOverride((held.override() != null) ? io.stopbob.events.FreezeOverride.newBuilder()
				.setWindow(held.override().window())
				.setReason(held.override().reason())
				.build() : null)
			.setSlackChannel((held.thread() != null) ? held.thread().channel() : null)
			.setSlackThreadTs((held.thread() != null) ? held.thread().ts() : null)
			.setApprovalTs(held.approvalTs())
			.setExpiresAt(held.expiresAt())
			.build();
	}

}
