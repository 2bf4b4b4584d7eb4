package io.stopbob.ledger.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.operations.Operation.HeldRequest;
import io.stopbob.ledger.operations.Preference;
import io.stopbob.platform.bus.Snapshots;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot of one partition's targets, through Avro as the snapshot topic carries it,
 * restores a ledger and board that answer the same as the ones it was taken of.
 */
class LedgerStateTest {

	private static final Target STAGING = new Target("demo", "staging");

	private static final Target PRODUCTION = new Target("demo", "production");

	/** A partition's keys: the staging target, and a person. */
	private static final Predicate<String> OF_STAGING = (key) -> key.equals(STAGING.toString()) || key.equals("U1");

	private static final Instant START = Instant.parse("2026-11-26T15:00:00Z");

	private final Ledger ledger = new Ledger(new Ledger.Limits(2, 100, 20));

	private final Board board = new Board();

	@Test
	void aRestoredPartitionAnswersAsTheOneItWasTakenOf() {
		history();

		Snapshots.State state = new LedgerState(this.ledger, this.board).snapshot(OF_STAGING);
		Ledger restored = new Ledger(new Ledger.Limits(2, 100, 20));
		Board restoredBoard = new Board();
		new LedgerState(restored, restoredBoard).restore(state);

		assertThat(answers(restored, restoredBoard)).isEqualTo(answers(this.ledger, this.board));
		assertThat(restored.history(PRODUCTION)).as("another partition's target").isEmpty();
		assertThat(state.held().size() + state.kept().size())
			.as("of the 29 events applied, those that still count: no other target's, nothing undone since, of a "
					+ "forgotten deploy only what runs and its green build")
			.isEqualTo(20);
		// Still recognized as forgotten, as in the ledger it was taken of.
		assertThat(restored.apply(requested("d-1", "e-late", 0)).deploy()).isEmpty();
		assertThat(this.ledger.apply(requested("d-1", "e-late", 0)).deploy()).isEmpty();
	}

	@Test
	void clearingAPartitionForgetsItsTargetsAndNothingElse() {
		history();
		Map<String, Object> production = Map.of("history", ids(this.ledger.history(PRODUCTION)), "lock",
				this.board.lock(PRODUCTION, START).isPresent());

		new LedgerState(this.ledger, this.board).clear(OF_STAGING);

		assertThat(this.ledger.history(STAGING)).isEmpty();
		assertThat(this.ledger.releases(STAGING)).isEmpty();
		assertThat(this.ledger.passedBuild(STAGING, "1bc1234")).isEmpty();
		assertThat(this.ledger.forgottenUntil(STAGING)).isEmpty();
		assertThat(this.board.lock(STAGING, START)).isEmpty();
		assertThat(this.board.queue(STAGING)).isEmpty();
		assertThat(this.board.approval("d-a2")).isEmpty();
		assertThat(Map.of("history", ids(this.ledger.history(PRODUCTION)), "lock",
				this.board.lock(PRODUCTION, START).isPresent()))
			.isEqualTo(production);
		// What was applied before is new again: a replay after the clear applies it.
		assertThat(this.board.apply(operation(STAGING, "lock-2", "e-l3", new Operation.LockSet("again", null, false))))
			.isTrue();
	}

	/**
	 * Six deploys of staging in a window of two (two forgotten, one of them what runs;
	 * two in flight), a deploy of production, and the board's locks, queue, approvals and
	 * a setting, some of them undone since.
	 */
	private void history() {
		deploy("d-1", 0, "1bc1234", Outcome.SUCCEEDED);
		deploy("d-2", 100, "2bc1234", Outcome.FAILED);
		deploy("d-3", 200, null, Outcome.SUCCEEDED);
		deploy("d-4", 300, "4bc1234", Outcome.FAILED);
		this.ledger.apply(requested("d-5", "e-5-r", 400));
		this.ledger
			.apply(new Tagged(meta("d-5", "e-5-t", 401), "abc1234", "staging-5", null, null, null, Kind.DEPLOY, null));
		this.ledger.apply(requested("d-6", "e-6-r", 500));
		this.ledger.apply(new Requested(new Meta("e-p-r", "d-p", PRODUCTION, START, "test"), "abc1234", Kind.DEPLOY,
				new Person("U1", "bob"), new ThreadRef("C1", "2.0"), null));
		this.board.apply(operation(STAGING, "lock-1", "e-l1", new Operation.LockSet("incident", null, false)));
		this.board.apply(operation(STAGING, "lock-1", "e-l2", new Operation.LockReleased("over")));
		this.board.apply(operation(STAGING, "lock-2", "e-l3", new Operation.LockSet("freeze", null, true)));
		this.board.apply(operation(STAGING, "d-q1", "e-q1", new Operation.Queued(held(null))));
		this.board.apply(operation(STAGING, "d-q1", "e-q2", new Operation.QueueLeft(Operation.Exit.STARTED, null)));
		this.board.apply(operation(STAGING, "d-q2", "e-q3", new Operation.Queued(held(null))));
		this.board
			.apply(operation(STAGING, "d-a1", "e-a1", new Operation.AwaitingApproval(held(START.plusSeconds(3600)))));
		this.board.apply(
				operation(STAGING, "d-a1", "e-a2", new Operation.ApprovalDecided(Operation.Decision.APPROVED, null)));
		this.board
			.apply(operation(STAGING, "d-a2", "e-a3", new Operation.AwaitingApproval(held(START.plusSeconds(3600)))));
		this.board.apply(operation(PRODUCTION, "lock-p", "e-lp", new Operation.LockSet("prod", null, false)));
		this.board.apply(new Preference("e-pref", "U1", false, START));
	}

	private static Map<String, Object> answers(Ledger ledger, Board board) {
		Function<Deploy, String> told = (deploy) -> deploy.deployId() + ":" + deploy.stage() + ":"
				+ deploy.events().stream().map((event) -> event.meta().eventId()).toList();
		return Map.ofEntries(Map.entry("history", ledger.history(STAGING).stream().map(told).toList()),
				Map.entry("releases", ledger.releases(STAGING).stream().map(told).toList()),
				Map.entry("inFlight", ledger.inFlight(STAGING).map(Deploy::deployId)),
				Map.entry("awaitingTag",
						ledger.awaitingTag()
							.stream()
							.filter((deploy) -> deploy.target().equals(STAGING))
							.map(Deploy::deployId)
							.toList()),
				Map.entry("green builds",
						List.of("1bc1234", "2bc1234", "4bc1234")
							.stream()
							.map((sha) -> ledger.passedBuild(STAGING, sha).map(Built::deployId))
							.toList()),
				Map.entry("forgottenUntil", ledger.forgottenUntil(STAGING)),
				Map.entry("held", ledger.find("d-1").isPresent() + "/" + ledger.find("d-3").isPresent()),
				Map.entry("lock", board.lock(STAGING, START).map(Board.Lock::reason)),
				Map.entry("queue", board.queue(STAGING).stream().map(Board.Held::id).toList()),
				Map.entry("approvals",
						List.of(board.approval("d-a1").map(Board.Approval::decision),
								board.pendingApproval(STAGING).map((approval) -> approval.held().id()))),
				Map.entry("direct messages", board.directMessages("U1")));
	}

	private void deploy(String deployId, int second, String sha, Outcome outcome) {
		this.ledger.apply(new Requested(meta(deployId, deployId + "-r", second), (sha != null) ? sha : "abc1234",
				Kind.DEPLOY, new Person("U1", "bob"), new ThreadRef("C1", "1.0"), null));
		if (sha != null) {
			this.ledger.apply(new Tagged(meta(deployId, deployId + "-t", second + 1), sha, deployId + "-tag", null,
					null, null, Kind.DEPLOY, null));
			this.ledger.apply(new Built(meta(deployId, deployId + "-b", second + 2), sha, deployId + "-tag", "local",
					List.of("ci"), null, false));
		}
		this.ledger
			.apply(new Finished(meta(deployId, deployId + "-f", second + 60), outcome, "ROLLOUT", null, sha, 60_000L));
	}

	private static List<String> ids(List<Deploy> deploys) {
		return deploys.stream().map(Deploy::deployId).toList();
	}

	/** Queued without an expiry; awaiting approval until {@code expiresAt}. */
	private static HeldRequest held(Instant expiresAt) {
		return new HeldRequest("abc1234", Kind.DEPLOY, null, null, null, null, expiresAt);
	}

	private static Operation operation(Target target, String id, String eventId, Operation.Change change) {
		return new Operation(new Meta(eventId, id, target, START, "test"), new Person("U1", "bob"), change);
	}

	private static PipelineEvent requested(String deployId, String eventId, int second) {
		return new Requested(meta(deployId, eventId, second), "abc1234", Kind.DEPLOY, new Person("U1", "bob"),
				new ThreadRef("C1", "1.0"), null);
	}

	private static Meta meta(String deployId, String eventId, int second) {
		return new Meta(eventId, deployId, STAGING, START.plusSeconds(second), "test");
	}

}
