package io.stopbob.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A service started whole against a real in-process KRaft broker, on a random port, with
 * the test catalog. Every test class of a module uses exactly this, so the module's tests
 * share one Spring context and one broker.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stop.catalog.location=classpath:test-catalog.yml", "stop.bus.partitions=2",
				"stop.bus.retry.backoff=50ms", "stop.edge.token=" + ServiceTest.TOKEN })
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ExtendWith(Listeners.class)
public @interface ServiceTest {

	/** The token of the tests' caller, named {@code api} (the edge's default). */
	String TOKEN = "test-api-token";

}
