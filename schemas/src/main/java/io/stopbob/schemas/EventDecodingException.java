package io.stopbob.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that cannot become a pipeline event. The {@link Reason} says why, so a
 * dead-letter record tells an operator whether to fix a producer, release a schema or
 * discard garbage.
 */
public class EventDecodingException extends SerializationException {

	private final Reason reason;

	EventDecodingException(Reason reason, String message, Throwable cause) {
		super(reason + ": " + message, cause);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

	public enum Reason {

		/** The bytes do not start with Avro's single-object marker. */
		NOT_SINGLE_OBJECT,

		/** The schema fingerprint is not one of the released versions of any event. */
		UNKNOWN_FINGERPRINT,

		/** The header was fine but the body does not decode with the writer's schema. */
		CORRUPT_BODY,

		/** A valid event of another type than the topic carries. */
		WRONG_TOPIC

	}

}
