package io.stopbob.ingress.deploy;

/**
 * Why a request cannot go ahead, tied to the input a person must change.
 */
public record Problem(Field field, Kind kind, String message) {

	/** The input the problem is about; the modal shows it under that field. */
	public enum Field {

		APP, ENVIRONMENT, SHA, REASON, EMERGENCY

	}

	/** What kind of refusal, so the API can answer 400, 403 or 409. */
	public enum Kind {

		/** The input is wrong. */
		INVALID,

		/** The person may not do this. */
		FORBIDDEN,

		/** Not now: the target is busy; it may be queued. */
		CONFLICT,

		/** Not now: the target is locked or frozen. */
		CLOSED

	}

}
