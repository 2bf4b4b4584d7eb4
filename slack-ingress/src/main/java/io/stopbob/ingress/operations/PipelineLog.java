package io.stopbob.ingress.operations;

import java.time.Instant;
import java.util.function.Consumer;

import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.Target;

/**
 * The pipeline topics themselves, read on demand for history older than the ledger holds:
 * the topics are the record, the ledger only a window on them.
 */
public interface PipelineLog {

	/**
	 * Hands {@code each} every pipeline event written since {@code from} up to where the
	 * log ends now, in log order per target.
	 * @param target only this target's events (and others that share its partitions), or
	 * every target's when null
	 * @throws Unreadable when the log cannot be read whole; nothing partial is handed on
	 * as if it were all
	 */
	void read(Target target, Instant from, Consumer<PipelineEvent> each);

	/** The log could not be read (the broker away, or the read too long). */
	class Unreadable extends RuntimeException {

		public Unreadable(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
