package io.stopbob.ingress.messaging;

import io.stopbob.ingress.deploy.DeployRequests;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.platform.bus.EventPublisher;

import org.springframework.stereotype.Component;

/**
 * Publishes accepted requests as {@code DeployRequested}, waiting for the broker's ack.
 */
@Component
class KafkaDeployRequests implements DeployRequests {

	private final EventPublisher publisher;

	KafkaDeployRequests(EventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void publish(Requested requested) {
		this.publisher.publish(EventMapping.toAvro(requested));
	}

}
