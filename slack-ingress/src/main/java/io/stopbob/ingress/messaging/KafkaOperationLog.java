package io.stopbob.ingress.messaging;

import io.stopbob.ingress.operations.OperationLog;
import io.stopbob.ledger.messaging.OperationMapping;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.operations.Preference;
import io.stopbob.platform.bus.EventPublisher;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Publishes operations to {@code target-operations} and settings to
 * {@code user-preferences}, waiting for the broker's ack.
 */
@Component
class KafkaOperationLog implements OperationLog {

	private final EventPublisher publisher;

	private final String producer;

	KafkaOperationLog(EventPublisher publisher, @Value("${spring.application.name}") String producer) {
		this.publisher = publisher;
		this.producer = producer;
	}

	@Override
	public void publish(Operation operation) {
		this.publisher.publish(OperationMapping.toAvro(operation));
	}

	@Override
	public void publish(Preference preference) {
		this.publisher.publish(OperationMapping.toAvro(preference, this.producer));
	}

}
