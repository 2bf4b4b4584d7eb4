package io.stopbob.ingress.thread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.slack.SlackCallException;

/**
 * A Slack workspace that records each call as "verb key", keeps texts by key, finds what
 * it posted, and fails to post the keys in {@link #failing} as Slack away would.
 */
public final class RecordingWorkspace implements SlackWorkspace {

	/** The thread every deploy starts. */
	public static final ThreadRef THREAD = new ThreadRef("C0DEPLOYS", "1700000000.000100");

	public final List<String> log = new ArrayList<>();

	final Map<String, List<Button>> buttons = new HashMap<>();

	final List<String> dmTo = new ArrayList<>();

	/** Keys whose posting fails as if Slack were away. */
	public final Set<String> failing = new HashSet<>();

	private final Map<String, String> texts = new HashMap<>();

	private final Map<String, String> keyByTs = new HashMap<>();

	private int ts;

	public String text(String key) {
		return this.texts.get(key);
	}

	@Override
	public ThreadRef startThread(String deployId, String channel, String text) {
		return THREAD;
	}

	@Override
	public void updateThreadStart(ThreadRef thread, String deployId, String text) {
		this.log.add("rewrite " + deployId + ":start");
		this.texts.put(deployId + ":start", text);
	}

	@Override
	public String reply(ThreadRef thread, String deployId, String key, String text, List<Button> buttons) {
		this.buttons.put(key, buttons);
		return post("reply", key, text);
	}

	@Override
	public void resolve(ThreadRef thread, String ts, String deployId, String text) {
		update(thread, ts, deployId, text);
	}

	@Override
	public String say(String channel, String key, String text) {
		return post("say", key, text);
	}

	@Override
	public String directMessage(String userId, String deployId, String key, String text) {
		this.dmTo.add(userId);
		return post("dm", key, text);
	}

	@Override
	public void openRollbackModal(String triggerId, RollbackModal modal) {
	}

	@Override
	public void update(ThreadRef thread, String ts, String deployId, String text) {
		String key = this.keyByTs.get(ts);
		this.log.add("update " + key);
		this.texts.put(key, text);
	}

	@Override
	public String announce(ThreadRef thread, String deployId, String key, String text) {
		this.buttons.put(key, List.of());
		return post("announce", key, text);
	}

	@Override
	public Optional<String> find(ThreadRef thread, String key) {
		this.log.add("find " + key);
		return this.keyByTs.entrySet()
			.stream()
			.filter((e) -> e.getValue().equals(key))
			.map(Map.Entry::getKey)
			.findFirst();
	}

	@Override
	public Optional<String> findDirect(String userId, String key) {
		return find(null, key);
	}

	@Override
	public void openDeployModal(String triggerId, DeployModal modal) {
	}

	private String post(String verb, String key, String text) {
		if (this.failing.contains(key)) {
			throw new SlackCallException("chat.postMessage", "java.net.ConnectException: Connection refused", true);
		}
		String ts = "1700000001." + (++this.ts);
		this.log.add(verb + " " + key);
		this.texts.put(key, text);
		this.keyByTs.put(ts, key);
		return ts;
	}

}
