package io.stopbob.slack;

import io.stopbob.platform.retry.OutsideFailure;

/** Slack did not do what was asked, after the retries it deserved. */
public class SlackCallException extends RuntimeException implements OutsideFailure {

	private final String error;

	private final boolean transientFailure;

	public SlackCallException(String method, String error, boolean transientFailure) {
		super("Slack " + method + " failed: " + error);
		this.error = error;
		this.transientFailure = transientFailure;
	}

	/** Slack's error code, e.g. {@code channel_not_found}, or the HTTP status. */
	public String error() {
		return this.error;
	}

	/**
	 * True when it kept failing in ways that may pass; false when Slack refused for good.
	 */
	public boolean transientFailure() {
		return this.transientFailure;
	}

	@Override
	public boolean permanent() {
		return !this.transientFailure;
	}

	@Override
	public String system() {
		return "Slack";
	}

}
