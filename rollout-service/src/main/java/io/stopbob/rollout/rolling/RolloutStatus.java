package io.stopbob.rollout.rolling;

import java.util.List;

import io.stopbob.ledger.PipelineEvent.InstanceFailure;
import io.stopbob.ledger.PipelineEvent.Instances;

/**
 * Where a rollout is, as the backend reports it.
 *
 * @param batch 1-based batch being rolled out, when the backend rolls out in batches
 */
public record RolloutStatus(State state, Instances instances, Integer batch, Integer batches,
		List<InstanceFailure> failures, String message) {

	public boolean finished() {
		return this.state != State.IN_PROGRESS;
	}

	/** Named as the {@code RolloutState} of the events. */
	public enum State {

		IN_PROGRESS, SUCCEEDED, FAILED, ROLLED_BACK, STOPPED

	}

}
