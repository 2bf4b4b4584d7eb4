package io.stopbob.rollout.rolling;

import java.util.Optional;

/**
 * Port: a system that puts a release on a fleet (CodeDeploy, a local fleet, later
 * Kubernetes). Start is idempotent through {@link #find}: a deploy is looked for before
 * it is started.
 */
public interface RolloutBackend {

	/**
	 * The deployment this deploy already started, if any (after a restart or a
	 * redelivery).
	 */
	Optional<String> find(RolloutRequest request);

	/** Starts rolling out; returns the backend's deployment id. */
	String start(RolloutRequest request);

	RolloutStatus status(RolloutRequest request, String deploymentId);

	/** Stops the deployment and puts the fleet back on what ran before. */
	void stop(RolloutRequest request, String deploymentId);

	/**
	 * Calls {@code changed} whenever the backend sees the deployment change, until the
	 * handle is closed, so progress is reported as it happens; polls stay the fallback. A
	 * backend that cannot be watched is only polled.
	 */
	default AutoCloseable watch(RolloutRequest request, String deploymentId, Runnable changed) {
		return () -> {
		};
	}

}
