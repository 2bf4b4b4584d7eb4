package io.stopbob.rollout.messaging;

import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.platform.bus.EventPublisher;
import io.stopbob.rollout.rolling.RolloutEvents;

import org.springframework.stereotype.Component;

/** Publishes progress and outcomes, waiting for the broker's ack. */
@Component
class KafkaRolloutEvents implements RolloutEvents {

	private final EventPublisher publisher;

	KafkaRolloutEvents(EventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void publish(PipelineEvent event) {
		this.publisher.publish(EventMapping.toAvro(event));
	}

}
