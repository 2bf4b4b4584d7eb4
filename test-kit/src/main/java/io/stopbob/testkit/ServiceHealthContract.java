package io.stopbob.testkit;

import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every service's health endpoint promises, checked over HTTP against the running
 * service. The last test stops the module's broker, so an implementing class carries
 * {@code @Order(Integer.MAX_VALUE)} (it runs after every other test class of the module)
 * and {@code @TestMethodOrder(MethodOrderer.OrderAnnotation.class)}. An interface, so a
 * service's test can keep its own base class (and with it the module's one Spring
 * context).
 */
public interface ServiceHealthContract {

	@Test
	@Order(1)
	default void healthIsUpAndIncludesKafka(@LocalServerPort int port) {
		HttpProbe.Response health = HttpProbe.getAsCaller(port, "/actuator/health");

		assertThat(health.status()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"kafka\":{").contains("\"clusterId\"");
	}

	@Test
	@Order(1)
	default void healthShowsDetailsOnlyToACaller(@LocalServerPort int port) {
		HttpProbe.Response anonymous = HttpProbe.get(port, "/actuator/health");

		assertThat(anonymous.status()).isEqualTo(200);
		assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("clusterId");
	}

	@Test
	@Order(2)
	default void livenessAndReadinessAreUp(@LocalServerPort int port) {
		assertThat(HttpProbe.get(port, "/actuator/health/liveness").status()).isEqualTo(200);
		HttpProbe.Response readiness = HttpProbe.getAsCaller(port, "/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.body()).as("ready once the state has caught up with the log").contains("\"log\"");
	}

	@Test
	@Order(3)
	default void prometheusMetricsAreServed(@LocalServerPort int port) {
		HttpProbe.Response metrics = HttpProbe.get(port, "/actuator/prometheus");

		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");
	}

	/**
	 * A service whose broker is away is waiting, not broken: health says Kafka is down,
	 * liveness and readiness stay up (its work resumes when the broker is back).
	 */
	@Test
	@Order(Integer.MAX_VALUE)
	default void healthShowsTheBrokerDownWhileLivenessAndReadinessStayUp(@LocalServerPort int port,
			@Autowired EmbeddedKafkaBroker broker) throws Exception {
		broker.destroy();

		HttpProbe.Response health = HttpProbe.awaitStatus(port, "/actuator/health", 503, Duration.ofSeconds(30));

		assertThat(health.body()).containsPattern("\"kafka\":\\{[^}]*\\},\"status\":\"DOWN\"");
		assertThat(HttpProbe.get(port, "/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(HttpProbe.get(port, "/actuator/health/readiness").status()).isEqualTo(200);
	}

}
