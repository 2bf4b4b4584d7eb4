package io.stopbob.ledger.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.stopbob.events.TargetOperation;
import io.stopbob.events.UserPreference;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.operations.Preference;
import io.stopbob.platform.bus.PartitionState;
import io.stopbob.platform.bus.Snapshots;
import io.stopbob.schemas.TargetKey;
import org.apache.avro.specific.SpecificRecord;

/**
 * A service's ledger and, where it keeps one, its board, as snapshots take them one
 * partition at a time ({@link Snapshots}): their events as the topics carry them, and the
 * ledger's forgotten times as marks per target.
 */
public final class LedgerState implements PartitionState {

	/**
	 * The producer named on settings a snapshot carries (a setting keeps no producer).
	 */
	private static final String PRODUCER = "snapshot";

	private final Ledger ledger;

	/** Null where the service keeps no board. */
	private final Board board;

	public LedgerState(Ledger ledger, Board board) {
		this.ledger = ledger;
		this.board = board;
	}

	@Override
	public Snapshots.State snapshot(Predicate<String> of) {
		Ledger.Snapshot held = this.ledger.snapshot((target) -> of.test(target.toString()));
		List<SpecificRecord> events = new ArrayList<>();
		held.held().forEach((event) -> events.add(EventMapping.toAvro(event)));
		if (this.board != null) {
			Board.Snapshot standing = this.board.snapshot(of);
			standing.operations().forEach((operation) -> events.add(OperationMapping.toAvro(operation)));
			standing.preferences().forEach((preference) -> events.add(OperationMapping.toAvro(preference, PRODUCER)));
		}
		Map<String, Long> marks = new HashMap<>();
		held.forgottenUntil().forEach((target, until) -> marks.put(target.toString(), until.toEpochMilli()));
		return new Snapshots.State(events, held.kept().stream().map(EventMapping::toAvro).toList(), marks);
	}

	@Override
	public void restore(Snapshots.State state) {
		List<PipelineEvent> held = new ArrayList<>();
		List<Operation> operations = new ArrayList<>();
		List<Preference> preferences = new ArrayList<>();
		for (SpecificRecord event : state.held()) {
			if (event instanceof TargetOperation operation) {
				operations.add(OperationMapping.toDomain(operation));
			}
			else if (event instanceof UserPreference preference) {
				preferences.add(OperationMapping.toDomain(preference));
			}
			else {
				held.add(EventMapping.toDomain(event));
			}
		}
		Map<Target, Instant> forgotten = new HashMap<>();
		state.marks().forEach((key, until) -> {
			TargetKey target = TargetKey.parse(key);
			forgotten.put(new Target(target.app(), target.environment()), Instant.ofEpochMilli(until));
		});
		this.ledger
			.restore(new Ledger.Snapshot(held, state.kept().stream().map(EventMapping::toDomain).toList(), forgotten));
		if (this.board != null) {
			this.board.restore(new Board.Snapshot(operations, preferences));
		}
	}

	@Override
	public void clear(Predicate<String> of) {
		this.ledger.clear((target) -> of.test(target.toString()));
		if (this.board != null) {
			this.board.clear(of);
		}
	}

}
