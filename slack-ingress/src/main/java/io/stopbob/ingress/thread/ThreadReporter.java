package io.stopbob.ingress.thread;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells each deploy's story in its Slack thread: the tag, the build, one progress message
 * updated in place, and the outcome (in the thread and in the channel). Messages are
 * rendered from the deploy's state and only ever move forward, so the thread reads in
 * pipeline order even when the topics deliver out of order; an event seen before posts
 * nothing.
 */
public class ThreadReporter {

	private static final Logger log = LoggerFactory.getLogger(ThreadReporter.class);

	private static final List<Stage> STORY = List.of(Stage.TAGGED, Stage.BUILT, Stage.ROLLING_OUT, Stage.FINISHED);

	private final Ledger ledger;

	private final SlackWorkspace slack;

	private final Board board;

	private final DeployUpdates updates;

	private final Map<String, ThreadState> threads = new ConcurrentHashMap<>();

	public ThreadReporter(Ledger ledger, SlackWorkspace slack, Board board, DeployUpdates updates) {
		this.ledger = ledger;
		this.slack = slack;
		this.board = board;
		this.updates = updates;
	}

	public void on(PipelineEvent event, Delivery delivery) {
		Ledger.Applied applied = this.ledger.apply(event);
		if (delivery != Delivery.REPLAY) {
			// Also for a request this instance applied when it accepted it.
			this.updates.changed(applied.deploy());
		}
		if (!applied.fresh()) {
			return;
		}
		ThreadState state = this.threads.computeIfAbsent(event.deployId(), (id) -> new ThreadState());
		if (delivery == Delivery.REPLAY) {
			state.reached(event.stage());
			return;
		}
		Deploy deploy = applied.deploy();
		Optional<ThreadRef> thread = deploy.request().map(Requested::thread);
		if (thread.isEmpty()) {
			// The thread is not known yet: the request comes later on another topic, then
			// all is told.
			return;
		}
		boolean uncertain = delivery == Delivery.UNCERTAIN;
		if (event instanceof Requested) {
			for (Stage stage : STORY) {
				tell(deploy, stage, thread.get(), state, uncertain);
			}
		}
		else {
			tell(deploy, event.stage(), thread.get(), state, uncertain);
		}
	}

	private void tell(Deploy deploy, Stage stage, ThreadRef thread, ThreadState state, boolean uncertain) {
		String id = deploy.deployId();
		switch (stage) {
			case TAGGED -> deploy.tag().filter((tag) -> !state.told(Stage.TAGGED)).ifPresent((tag) -> {
				once(thread, id + ":tag", uncertain,
						() -> this.slack.reply(thread, id, id + ":tag", ThreadMessages.tagged(tag)));
				state.tagShown = true;
				state.reached(Stage.TAGGED);
			});
			case BUILT -> deploy.build().filter((build) -> !state.told(Stage.BUILT)).ifPresent((build) -> {
				once(thread, id + ":build", uncertain,
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
				once(thread, id + ":end", uncertain, () -> this.slack.reply(thread, id, id + ":end", text, buttons));
				if (once(thread, id + ":announce", uncertain,
						() -> this.slack.announce(thread, id, id + ":announce", text))) {
					tellRequester(deploy, finished);
				}
				state.reached(Stage.FINISHED);
			});
			default -> {
			}
		}
	}

	/**
	 * The one progress message: posted the first time, updated after; found again after a
	 * restart.
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

	/** Posts unless an uncertain delivery finds it posted; true if it posted now. */
	private boolean once(ThreadRef thread, String key, boolean uncertain, Supplier<String> post) {
		if (uncertain && this.slack.find(thread, key).isPresent()) {
			return false;
		}
		post.get();
		return true;
	}

	/**
	 * A direct message to the person who asked, sent with the channel's announcement (so
	 * at most once), unless they turned these off.
	 */
	private void tellRequester(Deploy deploy, Finished finished) {
		deploy.request()
			.map(Requested::requestedBy)
			.filter((person) -> this.board.directMessages(person.id()))
			.ifPresent((person) -> {
				try {
					this.slack.directMessage(person.id(), deploy.deployId(), deploy.deployId() + ":dm",
							ThreadMessages.directMessage(deploy, finished));
				}
				catch (RuntimeException ex) {
					log.warn("could not send {} a direct message about {}", person.id(), deploy.deployId(), ex);
				}
			});
	}

	/** How an event reaches the reporter. */
	public enum Delivery {

		/** Handled before a restart: rebuild state, post nothing. */
		REPLAY,

		/** Perhaps handled just before a crash: look for its messages before posting. */
		UNCERTAIN,

		/** New. */
		LIVE

	}

	/** What a deploy's thread already shows. */
	private static final class ThreadState {

		private Stage toldUpTo;

		private boolean tagShown;

		private String progressTs;

		private String progressText;

		boolean told(Stage stage) {
			return this.toldUpTo != null && !stage.isAfter(this.toldUpTo);
		}

		void reached(Stage stage) {
			if (this.toldUpTo == null || stage.isAfter(this.toldUpTo)) {
				this.toldUpTo = stage;
			}
			if (stage == Stage.TAGGED) {
				this.tagShown = true;
			}
		}

	}

}
