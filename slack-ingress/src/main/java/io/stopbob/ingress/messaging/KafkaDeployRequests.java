package io.stopbob.ingress.messaging;

import io.stopbob.ingress.deploy.DeployRequests;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.platform.bus.EventPublisher;

import org.springframework.stereotype.Component;

/**
 * Publishes accepted requests as {@code DeployRequested}, waiting for the broker's ack as
 * long as the producer may still deliver them.
 */
@Component
class KafkaDeployRequests implements DeployRequests {

	private final EventPublisher publisher;

	KafkaDeployRequests(EventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void publish(Requested requested) {
		try {
			this.publisher.publish(EventMapping.toAvro(requested));
		}
		catch (EventPublisher.PublishException ex) {
			if (!ex.outcomeUnknown()) {
				throw ex;
			}
			throw new Unconfirmed("I could not confirm that " + requested.deployId() + " reached the pipeline (the "
					+ "event log did not answer in time); it may still start. `/stop status "
					+ requested.meta().target().app() + "` shows whether it did", ex);
		}
	}

}
