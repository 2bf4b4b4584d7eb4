package io.stopbob.ingress.operations;

import java.time.Clock;
import java.util.UUID;

import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.operations.Preference;

/**
 * Records an operation: on the log first, then on this instance's board at once, so the
 * next check sees it without waiting for the event to come back.
 */
public class Recorder {

	/** Who StoP Bob is when it acts by itself (automatic locks, expiries). */
	public static final Person STOP_BOB = new Person("USTOPBOB", "StoP Bob");

	private final OperationLog log;

	private final Board board;

	private final Clock clock;

	private final String producer;

	public Recorder(OperationLog log, Board board, Clock clock, String producer) {
		this.log = log;
		this.board = board;
		this.clock = clock;
		this.producer = producer;
	}

	public Operation record(Target target, String deployId, Person actor, Operation.Change change) {
		return record(UUID.randomUUID().toString(), target, deployId, actor, change);
	}

	/** With a chosen event id, so that doing it twice (after a crash) is one change. */
	public Operation record(String eventId, Target target, String deployId, Person actor, Operation.Change change) {
		Operation operation = new Operation(new Meta(eventId, deployId, target, this.clock.instant(), this.producer),
				actor, change);
		this.log.publish(operation);
		this.board.apply(operation);
		return operation;
	}

	public void record(String userId, boolean directMessages) {
		Preference preference = new Preference(UUID.randomUUID().toString(), userId, directMessages,
				this.clock.instant());
		this.log.publish(preference);
		this.board.apply(preference);
	}

}
