package io.stopbob.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot run here (no Docker engine), so its structure is checked
 * against the services it describes: every service is there with a readiness health check
 * on its own port, starts after a healthy broker, runs its module's jar, and is
 * configured only through names the services read.
 */
class DockerComposeTest {

	private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	private static final List<String> SERVICES = List.of("slack-ingress", "release-tagger", "changelog-poster",
			"rollout-service");

	/**
	 * Environment the services read that is not in their application.yml: Boot's and
	 * AWS's own.
	 */
	private static final List<String> READ_ELSEWHERE = List.of("SPRING_KAFKA_BOOTSTRAP_SERVERS",
			"STOP_CATALOG_LOCATION", "LOGGING_STRUCTURED_FORMAT_CONSOLE", "AWS_REGION");

	@Test
	@SuppressWarnings("unchecked")
	void everyServiceHasAReadinessHealthCheckOnItsPortAndStartsAfterAHealthyBroker() throws IOException {
		Map<String, Object> services = (Map<String, Object>) compose().get("services");

		assertThat(services).containsKeys("kafka").containsKeys(SERVICES.toArray(String[]::new));
		assertThat((Map<String, Object>) ((Map<String, Object>) services.get("kafka")).get("healthcheck")).isNotNull();
		for (String name : SERVICES) {
			Map<String, Object> service = (Map<String, Object>) services.get(name);
			int port = defaultPort(name);
			String check = String.join(" ",
					(List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test"));
			assertThat(check).as(name).contains("http://localhost:" + port + "/actuator/health/readiness");
			assertThat((List<String>) service.get("ports")).as(name).containsExactly(port + ":" + port);
			assertThat(((Map<String, Map<String, String>>) service.get("depends_on")).get("kafka")).as(name)
				.containsEntry("condition", "service_healthy");
			assertThat((List<String>) service.get("volumes")).as(name)
				.contains("./" + name + "/target/" + name + "-0.1.0-SNAPSHOT.jar:/app/app.jar:ro")
				.contains("./config:/config:ro");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyEnvironmentVariableIsOneTheServicesRead() throws IOException {
		Map<String, Object> services = (Map<String, Object>) compose().get("services");
		// Every service's settings, and the defaults all of them share.
		StringBuilder configuration = new StringBuilder(
				Files.readString(ROOT.resolve("platform/src/main/resources/stop-platform.yml")));
		for (String name : SERVICES) {
			configuration.append(applicationYml(name));
		}

		for (String name : SERVICES) {
			Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) services.get(name))
				.get("environment");
			assertThat(environment).as(name).containsKeys(READ_ELSEWHERE.subList(0, 2).toArray(String[]::new));
			for (String variable : environment.keySet()) {
				assertThat(READ_ELSEWHERE.contains(variable) || configuration.indexOf("${" + variable + ":") >= 0)
					.as("%s sets %s, which no service reads", name, variable)
					.isTrue();
			}
		}
	}

	private static Map<String, Object> compose() throws IOException {
		return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
	}

	private static String applicationYml(String service) throws IOException {
		return Files.readString(ROOT.resolve(service + "/src/main/resources/application.yml"));
	}

	private static int defaultPort(String service) throws IOException {
		Matcher port = Pattern.compile("port: \\$\\{STOP_[A-Z]+_PORT:(\\d+)}").matcher(applicationYml(service));
		assertThat(port.find()).as("server.port of %s", service).isTrue();
		return Integer.parseInt(port.group(1));
	}

}
