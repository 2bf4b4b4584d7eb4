package io.stopbob.ingress.deploy;

import io.stopbob.ledger.PipelineEvent.Requested;

/** Port: puts an accepted request on the pipeline, returning once the log has it. */
public interface DeployRequests {

	void publish(Requested requested);

}
