package io.stopbob.ledger.operations;

import java.time.Instant;

import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Operation.ApprovalDecided;
import io.stopbob.ledger.operations.Operation.AwaitingApproval;
import io.stopbob.ledger.operations.Operation.Decision;
import io.stopbob.ledger.operations.Operation.HeldRequest;
import io.stopbob.ledger.operations.Operation.LockReleased;
import io.stopbob.ledger.operations.Operation.LockSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoardTest {

	private static final Target PRODUCTION = new Target("demo", "production");

	private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

	private static final Person BOB = new Person("U1", "bob");

	private final Board board = new Board(new Board.Limits(2, 2));

	@Test
	void beyondItsLimitTheBoardForgetsTheOldestDecidedApprovalsButNoPendingOne() {
		this.board.apply(awaiting("d-0", "e-0"));
		for (int n = 1; n <= 3; n++) {
			this.board.apply(awaiting("d-" + n, "e-" + n + "a"));
			this.board.apply(operation("d-" + n, "e-" + n + "d", new ApprovalDecided(Decision.APPROVED, null)));
		}

		assertThat(this.board.approval("d-1")).isEmpty();
		assertThat(this.board.approval("d-3")).map(Board.Approval::decision).hasValue(Decision.APPROVED);
		assertThat(this.board.pendingApproval(PRODUCTION)).map((approval) -> approval.held().id()).hasValue("d-0");
	}

	@Test
	void aSecondCopyOfARecentChangeIsKnownAndAnOlderOneLandsTheSameWayInLogOrder() {
		Operation lock = operation("l-1", "e-1", new LockSet("incident 7", null, false));
		Operation release = operation("l-1", "e-2", new LockReleased(null));

		assertThat(this.board.apply(lock)).isTrue();
		assertThat(this.board.apply(lock)).as("its own write read back").isFalse();
		this.board.apply(release);
		this.board.apply(operation("x", "e-3", new LockReleased(null)));
		this.board.apply(operation("x", "e-4", new LockReleased(null)));
		// The lock's id is forgotten: a replay of the log applies both again, in order.
		this.board.apply(lock);
		this.board.apply(release);

		assertThat(this.board.lock(PRODUCTION, NOW)).isEmpty();
	}

	private static Operation awaiting(String deployId, String eventId) {
		return operation(deployId, eventId, new AwaitingApproval(
				new HeldRequest("abc1234", Kind.DEPLOY, null, null, null, null, NOW.plusSeconds(3600))));
	}

	private static Operation operation(String id, String eventId, Operation.Change change) {
		return new Operation(new Meta(eventId, id, PRODUCTION, NOW, "test"), BOB, change);
	}

}
