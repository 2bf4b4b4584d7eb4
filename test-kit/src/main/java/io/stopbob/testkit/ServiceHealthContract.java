package io.stopbob.testkit;

import java.time.Duration;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every service's health endpoint promises, checked over HTTP against the running
 * service. The last test stops the module's broker, so subclasses carry
 * {@code @Order(Integer.MAX_VALUE)} and run after every other test class of the module.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ServiceHealthContract {

	@LocalServerPort
	private int port;

	@Autowired
	private EmbeddedKafkaBroker broker;

	@Test
	@Order(1)
	void healthIsUpAndIncludesKafka() {
		HttpProbe.Response health = HttpProbe.get(this.port, "/actuator/health");

		assertThat(health.status()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"kafka\":{").contains("\"clusterId\"");
	}

	@Test
	@Order(2)
	void livenessAndReadinessAreUp() {
		assertThat(HttpProbe.get(this.port, "/actuator/health/liveness").status()).isEqualTo(200);
		HttpProbe.Response readiness = HttpProbe.get(this.port, "/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"kafka\"");
	}

	@Test
	@Order(3)
	void prometheusMetricsAreServed() {
		HttpProbe.Response metrics = HttpProbe.get(this.port, "/actuator/prometheus");

		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void readinessGoesDownWhenTheBrokerStopsWhileLivenessStaysUp() throws Exception {
		this.broker.destroy();

		HttpProbe.Response readiness = HttpProbe.awaitStatus(this.port, "/actuator/health/readiness", 503,
				Duration.ofSeconds(30));

		assertThat(readiness.body()).contains("\"kafka\":{").contains("\"status\":\"DOWN\"");
		assertThat(HttpProbe.get(this.port, "/actuator/health/liveness").status()).isEqualTo(200);
	}

}
