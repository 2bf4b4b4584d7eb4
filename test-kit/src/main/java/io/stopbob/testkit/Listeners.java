package io.stopbob.testkit;

import java.time.Duration;

import org.awaitility.Awaitility;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Waits until every listener of the service has its partitions: a service's consumer
 * group starts live at the end of the log, so what a test publishes before that would be
 * history to it.
 */
public final class Listeners {

	private Listeners() {
	}

	public static void awaitAssigned(KafkaListenerEndpointRegistry registry) {
		for (MessageListenerContainer container : registry.getListenerContainers()) {
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.until(() -> container.getAssignedPartitions() != null && !container.getAssignedPartitions().isEmpty());
		}
	}

}
