package io.stopbob.platform.retry;

/**
 * A call to an outside system (GitHub, Slack, CodeDeploy, Kubernetes, the broker) that
 * did not do what was asked. A transient failure is waited out and tried again; a
 * permanent one (a bad token, no such commit, a refused request) is reported where the
 * person reads it.
 */
public interface OutsideFailure {

	/** The outside system, as people name it: {@code GitHub}, {@code Slack}. */
	String system();

	/** True when another try cannot help. */
	boolean permanent();

}
