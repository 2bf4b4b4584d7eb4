package io.stopbob.ingress.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ingress.deploy.RequestPolicy;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.slack.SlackText;

/**
 * Locks a target against deploys (rollbacks still pass) and lifts the lock, with an
 * announcement in the app's deploy channel. A rollback that fails locks its target by
 * itself, as Shipit does: what runs there is not what anyone wanted.
 */
public class Locks {

	static final int MAX_REASON = 500;

	private final Catalog catalog;

	private final Board board;

	private final Recorder recorder;

	private final RequestPolicy policy;

	private final SlackWorkspace slack;

	private final Clock clock;

	public Locks(Catalog catalog, Board board, Recorder recorder, RequestPolicy policy, SlackWorkspace slack,
			Clock clock) {
		this.catalog = catalog;
		this.board = board;
		this.recorder = recorder;
		this.policy = policy;
		this.slack = slack;
		this.clock = clock;
	}

	/**
	 * Locks the target; {@code lasting} null for until unlocked. Returns what the person
	 * reads.
	 */
	public String lock(String app, String environment, Person by, String reason, Duration lasting) {
		Targets.Found found = Targets.find(this.catalog, app, environment);
		mayChange(found, by);
		if (reason == null || reason.isBlank() || reason.length() > MAX_REASON
				|| reason.chars().anyMatch(Character::isISOControl)) {
			throw new Refusal("Say why it is locked: a reason of 1 to " + MAX_REASON + " characters on one line.");
		}
		Instant now = this.clock.instant();
		this.board.lock(found.target(), now).ifPresent((lock) -> {
			throw new Refusal(Describe.lock(found.target(), lock, now) + " Unlock it first.");
		});
		Instant until = (lasting != null) ? now.plus(lasting) : null;
		this.recorder.record(found.target(), "lock-" + UUID.randomUUID(), by,
				new Operation.LockSet(reason.strip(), until, false));
		String text = ":lock: " + SlackText.escape(by.name()) + " locked " + found.target() + ": "
				+ SlackText.escape(reason.strip()) + ((until != null) ? " (until " + Describe.time(until) + ")" : "")
				+ ". Deploys are refused; rollbacks still pass. `/stop unlock " + found.target().app() + " "
				+ found.target().environment() + "` lifts it.";
		this.slack.say(found.app().deployChannel(), "lock:" + found.target() + ":" + now.toEpochMilli(), text);
		return text;
	}

	public String unlock(String app, String environment, Person by) {
		Targets.Found found = Targets.find(this.catalog, app, environment);
		mayChange(found, by);
		Instant now = this.clock.instant();
		Board.Lock lock = this.board.lock(found.target(), now)
			.orElseThrow(() -> new Refusal(found.target() + " is not locked."));
		this.recorder.record(found.target(), lock.id(), by, new Operation.LockReleased(null));
		String text = ":unlock: " + SlackText.escape(by.name()) + " unlocked " + found.target() + " (locked by "
				+ SlackText.escape(lock.by().name()) + " since " + Describe.time(lock.since()) + ": "
				+ SlackText.escape(lock.reason()) + ").";
		this.slack.say(found.app().deployChannel(), "unlock:" + found.target() + ":" + now.toEpochMilli(), text);
		return text;
	}

	/**
	 * A rollback that did not succeed locks its target, and says so in the deploy
	 * channel: what runs there is not known to be good. Each step is done once: the lock
	 * is looked for on the board, the message in the channel, before either is made again
	 * (after a crash, or when Slack was away).
	 */
	public void afterFinish(Deploy deploy, boolean uncertain) {
		var finished = deploy.finish().orElse(null);
		var requested = deploy.request().orElse(null);
		if (finished == null || requested == null || requested.kind() != Kind.ROLLBACK
				|| finished.outcome() == Outcome.SUCCEEDED) {
			return;
		}
		String lockId = "autolock-" + deploy.deployId();
		Instant now = this.clock.instant();
		String reason = "the rollback " + deploy.deployId() + " to " + Describe.sha(requested.sha()) + " ended "
				+ finished.outcome().name().toLowerCase().replace('_', ' ')
				+ ((finished.reason() != null) ? " (" + finished.reason() + ")" : "")
				+ "; check what runs there before deploying again";
		boolean lockedBefore = this.board.lock(deploy.target(), now)
			.filter((lock) -> lock.id().equals(lockId))
			.isPresent();
		if (lockedBefore && !uncertain) {
			// The same end delivered again: the work before it, lock and message, is
			// done.
			return;
		}
		if (!lockedBefore) {
			this.recorder.record(lockId, deploy.target(), lockId, Recorder.STOP_BOB,
					new Operation.LockSet(reason, null, true));
		}
		ThreadRef thread = requested.thread();
		if (uncertain && this.slack.find(thread, lockId).isPresent()) {
			return;
		}
		this.slack.announce(thread, deploy.deployId(), lockId,
				":lock: StoP Bob locked " + deploy.target() + ": " + SlackText.escape(reason)
						+ ". Rollbacks still pass; `/stop unlock " + deploy.target().app() + " "
						+ deploy.target().environment() + "` lifts it.");
	}

	private void mayChange(Targets.Found found, Person by) {
		if (!this.policy.mayDeploy(by.id(), found.environment())) {
			throw new Refusal("You may not deploy " + found.target().app() + " to " + found.target().environment()
					+ ", so you cannot lock or unlock it.");
		}
	}

}
