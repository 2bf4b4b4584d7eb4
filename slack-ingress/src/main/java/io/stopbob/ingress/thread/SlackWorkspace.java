package io.stopbob.ingress.thread;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Target;

/**
 * Port: the Slack workspace, as the deploy thread and the front door need it. Every
 * message carries an idempotency {@code key} (Slack message metadata in the real
 * adapter), so a poster that is not sure whether it already posted can look before
 * posting again.
 */
public interface SlackWorkspace {

	/** Posts the message that starts a deploy's thread in {@code channel}. */
	ThreadRef startThread(String deployId, String channel, String text);

	/**
	 * Rewrites the message that started the thread (e.g. when the deploy could not
	 * start).
	 */
	void updateThreadStart(ThreadRef thread, String deployId, String text);

	/** Posts a reply in the thread; returns its ts. */
	default String reply(ThreadRef thread, String deployId, String key, String text) {
		return reply(thread, deployId, key, text, List.of());
	}

	/** Posts a reply in the thread with buttons under it; returns its ts. */
	String reply(ThreadRef thread, String deployId, String key, String text, List<Button> buttons);

	/** Rewrites a message in place. */
	void update(ThreadRef thread, String ts, String deployId, String text);

	/**
	 * Rewrites a message that had buttons, without them: what they asked is decided.
	 */
	void resolve(ThreadRef thread, String ts, String deployId, String text);

	/** Posts a message in a channel, outside any thread (locks, queue changes). */
	String say(String channel, String key, String text);

	/** Sends the user a direct message from StoP Bob. */
	String directMessage(String userId, String deployId, String key, String text);

	/**
	 * Posts a message to the thread's channel itself, outside the thread; returns its ts.
	 */
	String announce(ThreadRef thread, String deployId, String key, String text);

	/** The ts of a message posted earlier with this key, in the thread or its channel. */
	Optional<String> find(ThreadRef thread, String key);

	/** The ts of a direct message sent earlier to the user with this key. */
	Optional<String> findDirect(String userId, String key);

	/** Opens the deploy modal for a slash command's trigger. */
	void openDeployModal(String triggerId, DeployModal modal);

	/** Opens the rollback confirmation for a command's or a button's trigger. */
	void openRollbackModal(String triggerId, RollbackModal modal);

	/**
	 * What the deploy modal offers: the app, its environments, and the channel it was
	 * asked from.
	 */
	record DeployModal(String app, java.util.List<String> environments, String channel) {
	}

	/**
	 * What the rollback confirmation shows: what runs now and the release it goes back
	 * to, with who deployed each and when.
	 */
	record RollbackModal(Target target, String currentSha, String currentBy, Instant currentSince, String toSha,
			String toTag, String toBy, Instant toSince) {
	}

	/**
	 * A button under a message. {@code value} comes back when it is pressed.
	 *
	 * @param style {@code primary}, {@code danger} or null
	 */
	record Button(String actionId, String label, String value, String style) {
	}

}
