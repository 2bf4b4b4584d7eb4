package io.stopbob.tagger.messaging;

import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.platform.bus.EventPublisher;
import io.stopbob.tagger.tagging.PipelineEvents;

import org.springframework.stereotype.Component;

/** Publishes release-tagger's events, waiting for the broker's ack. */
@Component
class KafkaPipelineEvents implements PipelineEvents {

	private final EventPublisher publisher;

	KafkaPipelineEvents(EventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void publish(PipelineEvent event) {
		this.publisher.publish(EventMapping.toAvro(event));
	}

}
