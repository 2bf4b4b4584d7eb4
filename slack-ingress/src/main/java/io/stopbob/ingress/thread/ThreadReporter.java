package io.stopbob.ingress.thread;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.stopbob.ingress.thread.SlackWorkspace.Button;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Stage;
import io.stopbob.ledger.operations.Board;
import io.stopbob.platform.memory.Bounded;
import io.stopbob.slack.SlackCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells each deploy's story in its Slack thread: the tag, the build, one progress message
 * updated in place, and the outcome (in the thread, in the channel, and to the person who
 * asked). Messages are rendered from the deploy's state and only ever move forward, so
 * the thread reads in pipeline order even when the topics deliver out of order.
 * <p>
 * A message counts as posted only once Slack has it: if Slack is away, telling fails and
 * is tried again (by the caller, {@code uncertain}), and each message is looked for by
 * its key before it is posted again, so every message appears once. Only the instance
 * that owns the deploy's target tells; what a thread shows is known from this instance's
 * own telling, so a deploy it did not tell from its request (another instance did, before
 * a restart or a rebalance) is looked for in Slack before anything is posted.
 */
public class ThreadReporter {

	private static final Logger log = LoggerFactory.getLogger(ThreadReporter.class);

	private static final List<Stage> STORY = List.of(Stage.TAGGED, Stage.BUILT, Stage.ROLLING_OUT, Stage.FINISHED);

	private final Ledger ledger;

	private final SlackWorkspace slack;

	private final Board board;

	private final DeployUpdates updates;

	/**
	 * What this instance told each recent thread. Bounded: a thread forgotten here is
	 * looked for in Slack before anything more is posted to it.
	 */
	private final Map<String, ThreadState> threads;

	public ThreadReporter(Ledger ledger, SlackWorkspace slack, Board board, DeployUpdates updates, int threadsHeld) {
		this.ledger = ledger;
		this.slack = slack;
		this.board = board;
		this.updates = updates;
		this.threads = Bounded.recentlyUsed(threadsHeld);
	}

	/**
	 * Records the event on its deploy, in log order; the dashboard hears of it unless the
	 * log is being caught up with.
	 * @param ours a deploy new to this instance is its own to tell from the start:
	 * nothing of its thread needs looking for
	 */
	public void apply(PipelineEvent event, boolean catchingUp, boolean ours) {
		Optional<Deploy> applied = this.ledger.apply(event).deploy();
		if (applied.isEmpty()) {
			// A late event of a deploy the ledger forgot: its thread was told long ago.
			return;
		}
		Deploy deploy = applied.get();
		// Only a story this instance holds from its request was never another's to tell;
		// one whose thread it forgot may have been told here already.
		this.threads.computeIfAbsent(event.deployId(),
				(id) -> (ours && event instanceof Requested && !deploy.finished()) ? ThreadState.ownFromTheStart()
						: new ThreadState());
		if (!catchingUp) {
			// Also for a request this instance applied when it accepted it.
			this.updates.changed(deploy);
		}
	}

	/**
	 * The targets may be told by another instance now: what this one knows of each thread
	 * may be behind, so each is looked for again before anything is posted.
	 */
	public void forgetWhatWasTold() {
		this.threads.values().forEach(ThreadState::forget);
	}

	/**
	 * Tells the thread what the event adds. Runs after every earlier event of the target
	 * was told; a Slack outage is thrown, and the event told again when it is over.
	 * @param uncertain it may have been told before (a crash, an earlier attempt): look
	 * for each message before posting it
	 */
	public void tell(PipelineEvent event, boolean uncertain) {
		Deploy deploy = this.ledger.find(event.deployId()).orElse(null);
		Optional<ThreadRef> thread = Optional.ofNullable(deploy).flatMap(Deploy::request).map(Requested::thread);
		if (thread.isEmpty()) {
			// The thread is not known yet: the request comes later on another topic, then
			// all is told.
			return;
		}
		ThreadState state = state(event.deployId());
		synchronized (state) {
			if (event instanceof Requested && !uncertain) {
				// A new request: nothing of its story was told yet, by anyone.
				state.known = true;
			}
			boolean look = uncertain || !state.known;
			if (event instanceof Requested) {
				for (Stage stage : STORY) {
					tell(deploy, stage, thread.get(), state, look);
				}
			}
			else {
				tell(deploy, event.stage(), thread.get(), state, look);
			}
		}
	}

	private ThreadState state(String deployId) {
		return this.threads.computeIfAbsent(deployId, (id) -> new ThreadState());
	}

	private void tell(Deploy deploy, Stage stage, ThreadRef thread, ThreadState state, boolean uncertain) {
		String id = deploy.deployId();
		switch (stage) {
			case TAGGED -> deploy.tag().filter((tag) -> !state.told(Stage.TAGGED)).ifPresent((tag) -> {
				post(thread, state, id + ":tag", uncertain,
						() -> this.slack.reply(thread, id, id + ":tag", ThreadMessages.tagged(tag)));
				state.reached(Stage.TAGGED);
			});
			case BUILT -> deploy.build().filter((build) -> !state.told(Stage.BUILT)).ifPresent((build) -> {
				post(thread, state, id + ":build", uncertain,
						() -> this.slack.reply(thread, id, id + ":build", ThreadMessages.built(build, state.tagShown)));
				state.reached(Stage.BUILT);
			});
			case ROLLING_OUT ->
				deploy.progress().filter((progress) -> !state.told(Stage.FINISHED)).ifPresent((progress) -> {
					showProgress(thread, id, state, uncertain, ThreadMessages.progress(progress));
					state.reached(Stage.ROLLING_OUT);
				});
			case FINISHED -> deploy.finish().filter((finished) -> !state.told(Stage.FINISHED)).ifPresent((finished) -> {
				deploy.progress()
					.ifPresent((progress) -> showProgress(thread, id, state, uncertain,
							ThreadMessages.progress(progress)));
				String text = ThreadMessages.finished(deploy, finished);
				List<Button> buttons = (finished.outcome() == Outcome.SUCCEEDED) ? ThreadMessages.rollbackButton(deploy)
						: List.of();
				post(thread, state, id + ":end", uncertain,
						() -> this.slack.reply(thread, id, id + ":end", text, buttons));
				post(thread, state, id + ":announce", uncertain,
						() -> this.slack.announce(thread, id, id + ":announce", text));
				tellRequester(deploy, finished, state, uncertain);
				state.reached(Stage.FINISHED);
			});
			default -> {
			}
		}
	}

	/**
	 * The one progress message: posted the first time, updated after; found again after a
	 * restart or a failed attempt.
	 */
	private void showProgress(ThreadRef thread, String deployId, ThreadState state, boolean uncertain, String text) {
		String key = deployId + ":progress";
		if (state.progressTs == null && (uncertain || state.told(Stage.ROLLING_OUT))) {
			state.progressTs = this.slack.find(thread, key).orElse(null);
		}
		if (state.progressTs == null) {
			state.progressTs = this.slack.reply(thread, deployId, key, text);
		}
		else if (!text.equals(state.progressText)) {
			this.slack.update(thread, state.progressTs, deployId, text);
		}
		state.progressText = text;
	}

	/** Posts the message once: not again after it was posted, looked for if uncertain. */
	private void post(ThreadRef thread, ThreadState state, String key, boolean uncertain, Supplier<String> post) {
		if (state.posted.contains(key)) {
			return;
		}
		if (!uncertain || this.slack.find(thread, key).isEmpty()) {
			post.get();
		}
		state.posted.add(key);
	}

	/**
	 * A direct message to the person who asked, unless they turned these off. Slack
	 * refusing it for good (the user left, say) is logged: the deploy's story is told.
	 */
	private void tellRequester(Deploy deploy, Finished finished, ThreadState state, boolean uncertain) {
		String key = deploy.deployId() + ":dm";
		Requested request = deploy.request().orElseThrow();
		String person = request.requestedBy().id();
		if (state.posted.contains(key) || !this.board.directMessages(person)) {
			return;
		}
		try {
			if (!uncertain || this.slack.findDirect(person, key).isEmpty()) {
				this.slack.directMessage(person, deploy.deployId(), key,
						ThreadMessages.directMessage(deploy, finished));
			}
		}
		catch (SlackCallException ex) {
			if (ex.transientFailure()) {
				throw ex;
			}
			log.warn("could not send {} a direct message about {}: {}", person, deploy.deployId(), ex.error());
		}
		state.posted.add(key);
	}

	/** What a deploy's thread already shows; guarded by itself. */
	private static final class ThreadState {

		private Stage toldUpTo;

		private boolean tagShown;

		private String progressTs;

		private String progressText;

		/** Keys of the messages Slack has of the stage being told. */
		private final Set<String> posted = new HashSet<>();

		/**
		 * Whether this instance told the thread all along, so what it holds here is all
		 * Slack has.
		 */
		private boolean known;

		static ThreadState ownFromTheStart() {
			ThreadState state = new ThreadState();
			state.known = true;
			return state;
		}

		synchronized void forget() {
			this.known = false;
		}

		boolean told(Stage stage) {
			return this.toldUpTo != null && !stage.isAfter(this.toldUpTo);
		}

		synchronized void reached(Stage stage) {
			if (this.toldUpTo == null || stage.isAfter(this.toldUpTo)) {
				this.toldUpTo = stage;
			}
			if (stage == Stage.TAGGED) {
				this.tagShown = true;
			}
			this.posted.clear();
		}

	}

}
