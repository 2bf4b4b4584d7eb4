package io.stopbob.platform.health;

import java.time.Duration;

import io.stopbob.platform.bus.RestoringListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The Kafka health contributor Boot does not ship ({@code kafka}), and whether the
 * service's state has caught up with the log ({@code log}, the readiness group's).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
public class HealthAutoConfiguration {

	@Bean
	KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
		return new KafkaHealthIndicator(kafkaAdmin, Duration.ofSeconds(3));
	}

	@Bean
	LogHealthIndicator logHealthIndicator(ObjectProvider<RestoringListener> listeners) {
		return new LogHealthIndicator(listeners);
	}

}
