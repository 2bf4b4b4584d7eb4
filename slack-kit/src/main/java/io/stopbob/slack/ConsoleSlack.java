package io.stopbob.slack;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack for a machine with no Slack account: each message is one console line prefixed
 * with its deploy, and kept (the newest {@value #KEPT}) so the dashboard and tests can
 * show the threads as Slack would. Timestamps look like Slack's and grow, so threads and
 * updates work the same.
 */
public class ConsoleSlack {

	static final int KEPT = 10_000;

	private final PrintStream out;

	private final List<Message> messages = new ArrayList<>();

	private final AtomicLong clock = new AtomicLong(Instant.now().toEpochMilli() * 1000);

	public ConsoleSlack(PrintStream out) {
		this.out = out;
	}

	/**
	 * Posts a message (into a thread when {@code threadTs} is set) and returns its ts.
	 */
	public synchronized String post(String deployId, String channel, String threadTs, String text, String key) {
		long micros = this.clock.incrementAndGet();
		String ts = (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
		this.messages.add(new Message(deployId, channel, ts, threadTs, text, key));
		if (this.messages.size() > KEPT) {
			this.messages.remove(0);
		}
		this.out.println("[" + deployId + "] " + channel + ((threadTs != null) ? " (thread)" : "") + " " + text);
		return ts;
	}

	public synchronized void update(String deployId, String channel, String ts, String text) {
		for (int i = 0; i < this.messages.size(); i++) {
			Message message = this.messages.get(i);
			if (message.channel().equals(channel) && message.ts().equals(ts)) {
				this.messages.set(i, new Message(deployId, channel, ts, message.threadTs(), text, message.key()));
			}
		}
		this.out.println("[" + deployId + "] " + channel + " (updated) " + text);
	}

	/** The message posted under this idempotency key, if any. */
	public synchronized Optional<Message> find(String key) {
		return this.messages.stream().filter((message) -> key.equals(message.key())).findFirst();
	}

	public synchronized List<Message> messages() {
		return List.copyOf(this.messages);
	}

	/**
	 * @param key what the poster used to find its own earlier message (see Slack's
	 * message metadata)
	 */
	public record Message(String deployId, String channel, String ts, String threadTs, String text, String key) {
	}

}
