package io.stopbob.ingress.local;

import java.util.List;
import java.util.Optional;

import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.slack.ConsoleSlack;

/**
 * The workspace when no Slack token is configured: messages are console lines and kept
 * for the dashboard; the modal cannot open on a console, so it says how to deploy in one
 * line instead.
 */
public class ConsoleWorkspace implements SlackWorkspace {

	private final ConsoleSlack console;

	public ConsoleWorkspace(ConsoleSlack console) {
		this.console = console;
	}

	@Override
	public ThreadRef startThread(String deployId, String channel, String text) {
		return new ThreadRef(channel, this.console.post(deployId, channel, null, text, deployId + ":start"));
	}

	@Override
	public void updateThreadStart(ThreadRef thread, String deployId, String text) {
		this.console.update(deployId, thread.channel(), thread.ts(), text);
	}

	/** Buttons are shown as what to type instead: a console cannot press them. */
	@Override
	public String reply(ThreadRef thread, String deployId, String key, String text, List<Button> buttons) {
		return this.console.post(deployId, thread.channel(), thread.ts(), text + buttons(buttons), key);
	}

	@Override
	public void resolve(ThreadRef thread, String ts, String deployId, String text) {
		this.console.update(deployId, thread.channel(), ts, text);
	}

	@Override
	public String say(String channel, String key, String text) {
		return this.console.post("-", channel, null, text, key);
	}

	@Override
	public String directMessage(String userId, String deployId, String key, String text) {
		return this.console.post(deployId, "@" + userId, null, text, key);
	}

	@Override
	public void update(ThreadRef thread, String ts, String deployId, String text) {
		this.console.update(deployId, thread.channel(), ts, text);
	}

	@Override
	public String announce(ThreadRef thread, String deployId, String key, String text) {
		return this.console.post(deployId, thread.channel(), null, text, key);
	}

	@Override
	public Optional<String> find(ThreadRef thread, String key) {
		return this.console.find(key).map(ConsoleSlack.Message::ts);
	}

	@Override
	public Optional<String> findDirect(String userId, String key) {
		return this.console.find(key).map(ConsoleSlack.Message::ts);
	}

	@Override
	public void openDeployModal(String triggerId, DeployModal modal) {
		this.console.post("-", modal.channel(), null, "(modal) deploy " + modal.app() + " to one of "
				+ modal.environments() + ": type /stop deploy " + modal.app() + " <environment> <sha>", null);
	}

	@Override
	public void openRollbackModal(String triggerId, RollbackModal modal) {
		this.console.post("-", "-", null, "(modal) roll " + modal.target() + " back from " + modal.currentSha() + " to "
				+ modal.toSha() + ": POST /api/deploys with kind rollback, or bin/stop rollback", null);
	}

	private static String buttons(List<Button> buttons) {
		return buttons.isEmpty() ? ""
				: " " + String.join(" ", buttons.stream().map((button) -> "[" + button.label() + "]").toList());
	}

}
