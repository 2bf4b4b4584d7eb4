package io.stopbob.ingress.slack;

import java.time.Duration;
import java.time.Instant;

/**
 * The signed requests accepted so far, across every instance of slack-ingress and its
 * restarts, so a captured request is accepted once. Slack signs each delivery (retries
 * included) anew, so a repeated signature is never Slack's.
 */
public interface SignedRequests {

	/** Slack's window for a request's timestamp, either side of now. */
	Duration WINDOW = Duration.ofMinutes(5);

	/**
	 * Whether this is the first time the signature is offered.
	 * @param signedAt the request's timestamp: it may be replayed until {@link #WINDOW}
	 * after it
	 */
	Claim claim(String signature, Instant signedAt);

	enum Claim {

		FIRST,

		REPLAYED,

		/** The shared memory could not be reached in time: refuse rather than guess. */
		UNKNOWN

	}

}
