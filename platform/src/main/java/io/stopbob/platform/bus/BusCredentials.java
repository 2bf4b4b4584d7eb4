package io.stopbob.platform.bus;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The service's identity on the bus: with {@code STOP_BUS_USER} (and
 * {@code STOP_BUS_PASSWORD}, {@code STOP_BUS_TRUSTSTORE},
 * {@code STOP_BUS_TRUSTSTORE_PASSWORD}) every Kafka client the service makes (producers,
 * consumers, admin, health) connects with SASL PLAIN over TLS as that user, and the
 * broker's ACLs say what it may read and write. Without it, PLAINTEXT, as the local
 * stack's loopback broker takes.
 */
public class BusCredentials implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String user = environment.getProperty("stop.bus.user");
		if (user == null || user.isBlank()) {
			return;
		}
		String password = required(environment, "stop.bus.password", "STOP_BUS_PASSWORD");
		String truststore = required(environment, "stop.bus.truststore", "STOP_BUS_TRUSTSTORE");
		Map<String, Object> kafka = new LinkedHashMap<>();
		kafka.put("spring.kafka.security.protocol", "SASL_SSL");
		kafka.put("spring.kafka.properties.sasl.mechanism", "PLAIN");
		kafka.put("spring.kafka.properties.sasl.jaas.config", jaas(user, password));
		kafka.put("spring.kafka.ssl.trust-store-location", "file:" + truststore);
		kafka.put("spring.kafka.ssl.trust-store-type", "PKCS12");
		kafka.put("spring.kafka.ssl.trust-store-password",
				required(environment, "stop.bus.truststore-password", "STOP_BUS_TRUSTSTORE_PASSWORD"));
		environment.getPropertySources().addFirst(new MapPropertySource("stop-bus-credentials", kafka));
	}

	/** The client's JAAS line; the password quoted as JAAS reads it. */
	public static String jaas(String user, String password) {
		return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + quoted(user)
				+ "\" password=\"" + quoted(password) + "\";";
	}

	private static String quoted(String value) {
		return value.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	private static String required(ConfigurableEnvironment environment, String property, String variable) {
		String value = environment.getProperty(property);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(variable + " is not set: STOP_BUS_USER is, and the bus takes a user"
					+ " only with its password over TLS (" + variable + ")");
		}
		return value;
	}

}
