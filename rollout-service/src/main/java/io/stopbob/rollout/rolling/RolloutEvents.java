package io.stopbob.rollout.rolling;

import io.stopbob.ledger.PipelineEvent;

/** Port: what rollout-service tells the pipeline (progress, the outcome). */
public interface RolloutEvents {

	void publish(PipelineEvent event);

}
