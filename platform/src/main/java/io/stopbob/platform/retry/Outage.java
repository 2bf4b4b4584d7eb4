package io.stopbob.platform.retry;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;

import org.apache.kafka.common.errors.RetriableException;

/**
 * An outside system that is away for now: the work that needed it waits and tries again,
 * however long it takes.
 *
 * @param system the system waited for, e.g. {@code GitHub}
 * @param reason what it answered, e.g. {@code HTTP 503}
 */
public record Outage(String system, String reason) {

	/**
	 * The outage behind a failure, if it is one: a transient {@link OutsideFailure}, the
	 * broker not answering, or a connection that was refused or timed out. Anything else
	 * (a permanent refusal, a bug) is not worth waiting for.
	 */
	public static Optional<Outage> of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof OutsideFailure outside) {
				return outside.permanent() ? Optional.empty()
						: Optional.of(new Outage(outside.system(), message(cause)));
			}
			if (cause instanceof RetriableException) {
				return Optional.of(new Outage("Kafka", message(cause)));
			}
			if (cause instanceof ConnectException || cause instanceof HttpTimeoutException
					|| cause instanceof InterruptedIOException) {
				return Optional.of(new Outage("network", message(cause)));
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return Optional.empty();
	}

	private static String message(Throwable cause) {
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

}
