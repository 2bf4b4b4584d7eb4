package io.stopbob.platform.retry;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry loop for calls to outside systems: a bounded number of attempts,
 * exponential backoff with a ceiling, and the outside system's own "try again after"
 * honoured up to that ceiling. What is not worth retrying is thrown by the attempt itself
 * and passes straight through. Giving up is not the end of the work: it is an
 * {@link Outage}, which the caller's work waits out (see the bus's {@code Lanes}).
 */
public final class Retrying {

	private static final Logger log = LoggerFactory.getLogger(Retrying.class);

	private final String system;

	private final int attempts;

	private final Duration backoff;

	private final Duration maxWait;

	/**
	 * @param system the outside system called, for logs and outages (e.g.
	 * {@code CodeDeploy})
	 * @param attempts calls in all, the first included
	 * @param backoff pause before the first retry, doubled each time
	 * @param maxWait the longest pause, also the cap on a "retry after"
	 */
	public Retrying(String system, int attempts, Duration backoff, Duration maxWait) {
		this.system = system;
		this.attempts = Math.max(1, attempts);
		this.backoff = backoff;
		this.maxWait = maxWait;
	}

	/**
	 * Runs the attempt until it returns, throws something other than {@link Retry}, or
	 * the attempts are spent. A retry the outside system timed ("retry after": a rate
	 * limit) is an instruction, not a failure: it does not spend an attempt, and has a
	 * bound of its own (as many waits as attempts).
	 * @param what the call, for logs (e.g. {@code chat.postMessage for deploy d-1})
	 * @throws GaveUp when every attempt asked to be retried
	 */
	public <T> T call(String what, Attempt<T> attempt) {
		Duration wait = this.backoff;
		int failures = 0;
		int waits = 0;
		while (true) {
			try {
				return attempt.run();
			}
			catch (Retry retry) {
				boolean told = retry.after != null;
				int spent = told ? ++waits : ++failures;
				if (spent >= this.attempts + (told ? 1 : 0)) {
					throw new GaveUp(this.system, what, retry.getMessage(), failures + waits);
				}
				Duration pause = told ? min(retry.after, this.maxWait) : wait;
				log.warn("{} failed ({}), {} {} of {}; retrying in {} ms", what, retry.getMessage(),
						told ? "wait" : "attempt", spent, this.attempts, pause.toMillis());
				sleep(pause, this.system, what);
				if (!told) {
					wait = min(wait.multipliedBy(2), this.maxWait);
				}
			}
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static void sleep(Duration pause, String system, String what) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GaveUp(system, what, "interrupted", 0);
		}
	}

	/** One try of the call. */
	@FunctionalInterface
	public interface Attempt<T> {

		T run() throws Retry;

	}

	/**
	 * This try failed in a way another may not: retry, after {@code after} if the system
	 * said so.
	 */
	public static class Retry extends Exception {

		private final transient Duration after;

		public Retry(String reason) {
			this(reason, null);
		}

		public Retry(String reason, Duration after) {
			super(reason, null, false, false);
			this.after = after;
		}

	}

	/**
	 * Every attempt failed in a way that may pass: an outage of the system, not a
	 * refusal. The message has the call and the last reason.
	 */
	public static class GaveUp extends RuntimeException implements OutsideFailure {

		private final String system;

		private final String reason;

		GaveUp(String system, String what, String reason, int attempts) {
			super(what + " kept failing (" + reason + ") after " + attempts + " attempts");
			this.system = system;
			this.reason = reason;
		}

		public String reason() {
			return this.reason;
		}

		@Override
		public String system() {
			return this.system;
		}

		@Override
		public boolean permanent() {
			return false;
		}

	}

}
