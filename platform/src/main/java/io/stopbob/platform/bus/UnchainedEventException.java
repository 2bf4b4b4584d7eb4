package io.stopbob.platform.bus;

import java.time.Duration;

import io.stopbob.platform.retry.OutsideFailure;

/**
 * An event whose deploy lacks the links before it on the log (a build with no request or
 * tag of its SHA). The pipeline never makes one, so it was written by someone else, and
 * it goes to the DLT with this reason instead of being acted on. Only while a missing
 * link may still be on its way (records of different topics are read in no set order) is
 * it waited for, briefly, like an outage of the log itself.
 */
public class UnchainedEventException extends RuntimeException implements OutsideFailure {

	/**
	 * How long a missing link is waited for: the records of the topics are read in no set
	 * order, but the pipeline writes each link well before the next.
	 */
	public static final Duration LINK_GRACE = Duration.ofSeconds(15);

	private final boolean awaited;

	private UnchainedEventException(String reason, boolean awaited) {
		super((awaited ? "waiting for the log: " : "not acted on: ") + reason);
		this.awaited = awaited;
	}

	/** A chain that cannot become whole: to the DLT. */
	public static UnchainedEventException broken(String reason) {
		return new UnchainedEventException(reason, false);
	}

	/** A link that may still arrive from another topic: tried again. */
	public static UnchainedEventException awaited(String reason) {
		return new UnchainedEventException(reason, true);
	}

	@Override
	public String system() {
		return "the log";
	}

	@Override
	public boolean permanent() {
		return !this.awaited;
	}

}
