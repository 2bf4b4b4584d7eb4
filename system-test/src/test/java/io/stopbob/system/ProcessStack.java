package io.stopbob.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standalone broker ({@code bin/kafka-broker}) and the four service jars, each its own
 * JVM on a free loopback port, as {@code bin/stop up} runs them. Every wait has a
 * deadline; {@link #stop} ends every process.
 */
final class ProcessStack {

	static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	static final List<String> SERVICES = List.of("slack-ingress", "release-tagger", "changelog-poster",
			"rollout-service");

	private static final String VERSION = "0.1.0-SNAPSHOT";

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	final Path home;

	final Map<String, Integer> ports = new LinkedHashMap<>();

	private final List<Process> processes = new ArrayList<>();

	private Map<String, String> brokerEnv;

	ProcessStack() throws IOException {
		this.home = Files.createTempDirectory(ROOT.resolve("system-test/target"), "stack-");
	}

	/**
	 * Starts the broker and the services with these arguments and environment; waits
	 * until ready.
	 */
	void start(Path catalog, List<String> args, Map<String, String> env) throws Exception {
		int kafka = freePort();
		this.brokerEnv = Map.of("STOP_HOME", this.home.toString(), "KAFKA_PORT", Integer.toString(kafka),
				"KAFKA_CONTROLLER_PORT", Integer.toString(freePort()), "KAFKA_HEAP", "384m");
		script("start", Duration.ofMinutes(5));
		for (String service : SERVICES) {
			int port = freePort();
			this.ports.put(service, port);
			List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar",
					ROOT.resolve(service + "/target/" + service + "-" + VERSION + ".jar").toString(),
					"--server.port=" + port, "--spring.kafka.bootstrap-servers=127.0.0.1:" + kafka,
					"--stop.catalog.location=file:" + catalog, "--stop.bus.partitions=2",
					"--stop.tagger.ci.work-dir=" + this.home.resolve("ci"), "--stop.tagger.ci.poll-interval=500ms",
					"--stop.rollout.poll-interval=500ms"));
			command.addAll(args);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log(service).toFile());
			builder.environment()
				.keySet()
				.removeIf((name) -> name.startsWith("SLACK_") || name.startsWith("GITHUB_") || name.startsWith("STOP_")
						|| name.startsWith("AWS_"));
			builder.environment().putAll(env);
			this.processes.add(builder.start());
		}
		for (Map.Entry<String, Integer> service : this.ports.entrySet()) {
			awaitReady(service.getKey(), service.getValue(), Duration.ofSeconds(120));
		}
	}

	void stop() throws Exception {
		this.processes.forEach(Process::destroy);
		for (Process process : this.processes) {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		if (this.brokerEnv != null) {
			script("stop", Duration.ofMinutes(1));
		}
	}

	String url(String service, String path) {
		return "http://127.0.0.1:" + this.ports.get(service) + path;
	}

	Path log(String service) {
		return this.home.resolve(service + ".log");
	}

	String logOf(String service) throws IOException {
		return Files.readString(log(service), StandardCharsets.UTF_8);
	}

	private void awaitReady(String service, int port, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				HttpResponse<String> readiness = HTTP
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
						.timeout(Duration.ofSeconds(2))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (readiness.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// Still starting.
			}
			Thread.sleep(500);
		}
		throw new AssertionError(
				service + " not ready on port " + port + " within " + timeout + "; see " + log(service));
	}

	private void script(String command, Duration timeout) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("bin/kafka-broker").toString(), command)
			.directory(ROOT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.home.resolve("broker-script.log").toFile()));
		builder.environment().putAll(this.brokerEnv);
		Process process = builder.start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("bin/kafka-broker " + command + " did not finish within " + timeout);
		}
		assertThat(process.exitValue())
			.as("bin/kafka-broker %s (see %s)", command, this.home.resolve("broker-script.log"))
			.isZero();
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
