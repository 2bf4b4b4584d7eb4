package io.stopbob.ingress.thread;

import java.time.Instant;
import java.util.List;

import io.stopbob.ingress.thread.SlackWorkspace.Button;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Preference;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Instances;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Progressed;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Target;
import io.stopbob.slack.SlackCallException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The thread's story told by the reporter alone, against a workspace that records what it
 * is asked.
 */
class ThreadReporterTest {

	private static final ThreadRef THREAD = RecordingWorkspace.THREAD;

	private final RecordingWorkspace slack = new RecordingWorkspace();

	private final Board board = new Board();

	private ThreadReporter reporter = new ThreadReporter(new Ledger(), this.slack, this.board, (deploy) -> {
	}, 100);

	private int eventNumber;

	@Test
	void theThreadReadsInPipelineOrderWithOneProgressMessageUpdatedInPlace() {
		live(requested(), tagged(), built(), progress(0, 2), progress(2, 2), progress(4, 0),
				finished(Outcome.SUCCEEDED));

		assertThat(this.slack.log).containsExactly("reply d-1:tag", "reply d-1:build", "reply d-1:progress",
				"update d-1:progress", "update d-1:progress", "reply d-1:end", "announce d-1:announce", "dm d-1:dm");
		assertThat(this.slack.text("d-1:end")).startsWith(":tada: demo `3f9c2a1` is live on production in 1m 30s");
		assertThat(this.slack.text("d-1:progress")).startsWith(":rocket: rolling out: 4/4 instances done");
	}

	@Test
	void aSuccessCarriesARollBackButtonAndAFailureDoesNot() {
		live(requested(), finished(Outcome.SUCCEEDED));

		assertThat(this.slack.buttons.get("d-1:end")).extracting(Button::actionId, Button::label, Button::value)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("stop_rollback", "Roll back", "demo/production"));
		assertThat(this.slack.buttons.get("d-1:announce")).isEmpty();
	}

	@Test
	void theRequesterGetsOneDirectMessageEvenWhenTheEndIsDeliveredAgainUncertainly() {
		PipelineEvent finished = finished(Outcome.SUCCEEDED);
		live(requested(), finished);
		this.reporter = new ThreadReporter(new Ledger(), this.slack, this.board, (deploy) -> {
		}, 100);
		replay(requested());
		uncertain(finished);

		assertThat(this.slack.log).filteredOn((line) -> line.startsWith("dm ")).containsExactly("dm d-1:dm");
		assertThat(this.slack.text("d-1:dm")).startsWith("Your deploy d-1 ended. :tada: demo `3f9c2a1` is live")
			.contains("/stop notify off");
		assertThat(this.slack.dmTo).containsExactly("U1");
	}

	@Test
	void noDirectMessageForSomeoneWhoTurnedThemOff() {
		this.board.apply(new Preference("p-1", "U1", false, Instant.parse("2026-11-26T15:00:00Z")));

		live(requested(), finished(Outcome.FAILED));

		assertThat(this.slack.log).noneMatch((line) -> line.startsWith("dm "));
	}

	@Test
	void anEventDeliveredTwicePostsOnce() {
		PipelineEvent tagged = tagged();
		live(requested(), tagged, tagged);

		assertThat(this.slack.log).containsExactly("reply d-1:tag");
	}

	@Test
	void eventsThatArriveBeforeTheRequestAreToldInOrderWhenItComes() {
		PipelineEvent requested = requested();
		live(built(), tagged());

		assertThat(this.slack.log).isEmpty();

		live(requested);

		assertThat(this.slack.log).containsExactly("reply d-1:tag", "reply d-1:build");
	}

	@Test
	void aLateEventOfAnEarlierStageIsRecordedButNotPostedAfterALaterOne() {
		live(requested(), built(), tagged());

		assertThat(this.slack.log).containsExactly("reply d-1:build");
		assertThat(this.slack.text("d-1:build")).contains("tag `production-20261126-150700-3f9c2a1`");
	}

	@Test
	void afterARestartTheReplayPostsNothingAndProgressUpdatesTheMessageFoundInTheThread() {
		List<PipelineEvent> before = List.of(requested(), tagged(), built(), progress(0, 2));
		live(before.toArray(PipelineEvent[]::new));
		this.slack.log.clear();

		this.reporter = new ThreadReporter(new Ledger(), this.slack, this.board, (deploy) -> {
		}, 100);
		before.forEach(this::replay);
		live(progress(2, 2));

		assertThat(this.slack.log).containsExactly("find d-1:progress", "update d-1:progress");
	}

	@Test
	void anUncertainEventLooksForItsMessageBeforePostingAgain() {
		PipelineEvent tagged = tagged();
		live(requested(), tagged);
		this.slack.log.clear();

		this.reporter = new ThreadReporter(new Ledger(), this.slack, this.board, (deploy) -> {
		}, 100);
		replay(requested());
		uncertain(tagged);

		assertThat(this.slack.log).containsExactly("find d-1:tag");
	}

	@Test
	void aThreadForgottenHereIsLookedForInSlackBeforeItsNextMessage() {
		this.reporter = new ThreadReporter(new Ledger(), this.slack, this.board, (deploy) -> {
		}, 1);
		live(requested(), tagged(), progress(0, 2));
		// Another deploy's thread takes the only place.
		live(new Requested(new Meta("e-other", "d-2", new Target("demo", "staging"),
				Instant.parse("2026-11-26T15:08:00Z"), "test"), "0a1b2c3d", Kind.DEPLOY, new Person("U2", "ann"),
				THREAD, null));
		this.slack.log.clear();

		live(progress(2, 2));

		assertThat(this.slack.log).containsExactly("find d-1:progress", "update d-1:progress");
	}

	@Test
	void slackAwayMidStoryLosesNothingAndPostsEachMessageOnceWhenItIsBack() {
		live(requested(), tagged());
		PipelineEvent finished = finished(Outcome.SUCCEEDED);
		this.slack.failing.addAll(List.of("d-1:announce", "d-1:dm"));
		this.reporter.apply(finished, false, true);

		assertThatExceptionOfType(SlackCallException.class).isThrownBy(() -> this.reporter.tell(finished, false));
		this.slack.failing.clear();
		// The lane tells it again, as one that may have been told.
		this.reporter.tell(finished, true);

		assertThat(this.slack.log).filteredOn((line) -> !line.startsWith("find"))
			.containsExactly("reply d-1:tag", "reply d-1:end", "announce d-1:announce", "dm d-1:dm");
	}

	@Test
	void aDirectMessageThatFailedAfterTheAnnouncementIsSentWhenSlackIsBackAndOnlyThen() {
		live(requested());
		PipelineEvent finished = finished(Outcome.SUCCEEDED);
		this.slack.failing.add("d-1:dm");
		this.reporter.apply(finished, false, true);

		assertThatExceptionOfType(SlackCallException.class).isThrownBy(() -> this.reporter.tell(finished, false));
		assertThatExceptionOfType(SlackCallException.class).isThrownBy(() -> this.reporter.tell(finished, true));
		this.slack.failing.clear();
		this.reporter.tell(finished, true);
		this.reporter.tell(finished, true);

		assertThat(this.slack.log).filteredOn((line) -> !line.startsWith("find"))
			.containsExactly("reply d-1:end", "announce d-1:announce", "dm d-1:dm");
	}

	@Test
	void aFailureSaysAtWhichStageAndWhy() {
		live(requested(), tagged(), new Finished(meta(), Outcome.FAILED, "BUILD",
				"check `test` failed: <https://ci.example/1|details>", null, 30_000L));

		assertThat(this.slack.text("d-1:end"))
			.isEqualTo(":x: demo `3f9c2a1` to production failed at build: check `test` failed: "
					+ "&lt;https://ci.example/1|details&gt; (asked by bob)");
		assertThat(this.slack.text("d-1:announce")).isEqualTo(this.slack.text("d-1:end"));
	}

	private void live(PipelineEvent... events) {
		for (PipelineEvent event : events) {
			this.reporter.apply(event, false, true);
			this.reporter.tell(event, false);
		}
	}

	private void replay(PipelineEvent event) {
		this.reporter.apply(event, true, false);
	}

	private void uncertain(PipelineEvent event) {
		this.reporter.apply(event, false, false);
		this.reporter.tell(event, true);
	}

	private Requested requested() {
		return new Requested(meta(0), "3f9c2a1e8b7d", Kind.DEPLOY, new Person("U1", "bob"), THREAD, null);
	}

	private Tagged tagged() {
		return new Tagged(meta(), "3f9c2a1e8b7d", "production-20261126-150700-3f9c2a1",
				"https://github.com/r/releases/1", null, null, Kind.DEPLOY, null);
	}

	private Built built() {
		return new Built(meta(), "3f9c2a1e8b7d", "production-20261126-150700-3f9c2a1", "github-checks",
				List.of("build", "test"), "https://github.com/r/actions/runs/1", false);
	}

	private Progressed progress(int done, int inProgress) {
		return new Progressed(meta(), "d-ABC", "IN_PROGRESS",
				new Instances(4, done, 0, inProgress, 4 - done - inProgress), 1 + done / 2, 2, List.of(), null);
	}

	private Finished finished(Outcome outcome) {
		return new Finished(meta(90), outcome, "ROLLOUT", null, "3f9c2a1e8b7d", 90_000L);
	}

	private Meta meta() {
		return meta(++this.eventNumber);
	}

	private Meta meta(int second) {
		return new Meta("e-" + (++this.eventNumber), "d-1", new Target("demo", "production"),
				Instant.parse("2026-11-26T15:07:00Z").plusSeconds(second), "test");
	}

}
