package io.stopbob.testkit;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Before each test, waits until every listener of the service has its partitions: a
 * service's consumer group starts live at the end of the log, so what a test publishes
 * before that would be history to it. Part of {@link ServiceTest}.
 */
public final class Listeners implements BeforeEachCallback {

	@Override
	public void beforeEach(ExtensionContext context) {
		SpringExtension.getApplicationContext(context)
			.getBeanProvider(KafkaListenerEndpointRegistry.class)
			.ifAvailable(Listeners::awaitAssigned);
	}

	private static void awaitAssigned(KafkaListenerEndpointRegistry registry) {
		for (MessageListenerContainer container : registry.getListenerContainers()) {
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.until(() -> container.getAssignedPartitions() != null && !container.getAssignedPartitions().isEmpty());
		}
	}

}
