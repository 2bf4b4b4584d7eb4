package io.stopbob.platform.health;

import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The Kafka health contributor Boot does not ship; named {@code kafka} in the health
 * groups.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
public class HealthAutoConfiguration {

	@Bean
	KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
		return new KafkaHealthIndicator(kafkaAdmin, Duration.ofSeconds(3));
	}

}
