package io.stopbob.tagger.tagging;

import io.stopbob.ledger.PipelineEvent;

/**
 * Port: what release-tagger tells the pipeline (tag created, build passed, deploy
 * finished).
 */
public interface PipelineEvents {

	void publish(PipelineEvent event);

}
