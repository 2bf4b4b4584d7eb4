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

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline across real processes, as {@code bin/stop up} runs it: a standalone
 * KRaft broker ({@code bin/kafka-broker}) and the four service jars, each its own JVM,
 * with the local adapters (JGit repository, command CI, local fleet, console Slack).
 * Bounded: every wait has a deadline, and every process is stopped at the end.
 */
class LocalPipelineSystemTest {

	private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	private static final String VERSION = "0.1.0-SNAPSHOT";

	private static final String TOKEN = "system-test-token";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

	private static final List<Process> SERVICES = new ArrayList<>();

	private static Path home;

	private static Map<String, String> brokerEnv;

	private static String good;

	private static String unhealthy;

	@BeforeAll
	static void startTheStack() throws Exception {
		home = Files.createTempDirectory(ROOT.resolve("system-test/target"), "stack-");
		Path repo = home.resolve("demo-repo");
		try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
			Files.writeString(repo.resolve("ci.sh"), "echo tests pass\nexit 0\n");
			good = commit(git, repo, "VERSION", "1", "Start the demo app");
			unhealthy = commit(git, repo, ".stop-health", "fail\n", "An unhappy accident (#3)");
		}
		Path catalog = home.resolve("catalog.yml");
		Files.writeString(catalog, """
				apps:
				  demo:
				    repository: %s
				    deploy-channel: "#deploys"
				    changelog-channel: "#changelog"
				    environments:
				      staging:
				        tag-prefix: staging-
				        ci: { command: sh ci.sh, timeout: 2m }
				        rollout:
				          backend: local
				          local: { instances: 2, health-timeout: 2s }
				""".formatted(repo));
		int kafka = freePort();
		brokerEnv = Map.of("STOP_HOME", home.toString(), "KAFKA_PORT", Integer.toString(kafka), "KAFKA_CONTROLLER_PORT",
				Integer.toString(freePort()), "KAFKA_HEAP", "384m");
		run(List.of("bash", ROOT.resolve("bin/kafka-broker").toString(), "start"), brokerEnv, Duration.ofMinutes(5));
		for (String service : List.of("slack-ingress", "release-tagger", "changelog-poster", "rollout-service")) {
			int port = freePort();
			PORTS.put(service, port);
			ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar",
					ROOT.resolve(service + "/target/" + service + "-" + VERSION + ".jar").toString(),
					"--server.port=" + port, "--spring.kafka.bootstrap-servers=127.0.0.1:" + kafka,
					"--stop.catalog.location=file:" + catalog, "--stop.bus.partitions=2",
					"--stop.tagger.ci.work-dir=" + home.resolve("ci"), "--stop.tagger.ci.poll-interval=500ms",
					"--stop.rollout.poll-interval=500ms")
				.redirectErrorStream(true)
				.redirectOutput(home.resolve(service + ".log").toFile());
			builder.environment().put("STOP_API_TOKEN", TOKEN);
			builder.environment().remove("SLACK_BOT_TOKEN");
			builder.environment().remove("GITHUB_TOKEN");
			SERVICES.add(builder.start());
		}
		for (Map.Entry<String, Integer> service : PORTS.entrySet()) {
			awaitReady(service.getKey(), service.getValue(), Duration.ofSeconds(120));
		}
	}

	@AfterAll
	static void stopTheStack() throws Exception {
		SERVICES.forEach(Process::destroy);
		for (Process process : SERVICES) {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		if (brokerEnv != null) {
			run(List.of("bash", ROOT.resolve("bin/kafka-broker").toString(), "stop"), brokerEnv, Duration.ofMinutes(1));
		}
	}

	@Test
	void aGoodCommitGoesThroughTagCiChangelogAndRolloutToSucceeded() throws Exception {
		String deployId = deploy(good);

		String outcome = awaitOutcome(deployId);

		assertThat(outcome).contains("\"outcome\":\"SUCCEEDED\"");
		assertThat(log("slack-ingress")).contains("[" + deployId + "] #deploys deploying demo `" + good.substring(0, 7))
			.contains("[" + deployId + "] #deploys (thread) :label: tagged `staging-")
			.contains("[" + deployId + "] #deploys (thread) :white_check_mark: build passed: local-ci")
			.contains("[" + deployId + "] #deploys :tada: demo `" + good.substring(0, 7) + "` is live on staging");
		assertThat(log("changelog-poster")).contains("[" + deployId + "] #changelog");
	}

	@Test
	void theCommitMarkedUnhealthyIsRolledBackAndSaysWhichInstanceFailed() throws Exception {
		String deployId = deploy(unhealthy);

		String outcome = awaitOutcome(deployId);

		assertThat(outcome).contains("\"outcome\":\"ROLLED_BACK\"").contains("failed health check");
		assertThat(log("slack-ingress")).contains("[" + deployId + "] #deploys :leftwards_arrow_with_hook: demo `"
				+ unhealthy.substring(0, 7) + "` to staging was rolled back");
	}

	private static String deploy(String sha) throws Exception {
		// One deploy at a time per target: wait for whatever runs on staging to end
		// first.
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			HttpResponse<String> response = HTTP.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + PORTS.get("slack-ingress") + "/api/deploys"))
				.header("Authorization", "Bearer " + TOKEN)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"app\":\"demo\",\"environment\":\"staging\",\"sha\":\"" + sha + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 202) {
				return response.body().replaceAll(".*\"deployId\":\"([^\"]+)\".*", "$1");
			}
			if (response.statusCode() != 409 || System.nanoTime() > deadline) {
				throw new AssertionError("deploy refused: " + response.statusCode() + " " + response.body());
			}
			Thread.sleep(500);
		}
	}

	private static String awaitOutcome(String deployId) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			HttpResponse<String> response = HTTP.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + PORTS.get("slack-ingress") + "/api/deploys/" + deployId))
				.header("Authorization", "Bearer " + TOKEN)
				.build(), HttpResponse.BodyHandlers.ofString());
			last = response.body();
			if (last.contains("\"outcome\"")) {
				return last;
			}
			Thread.sleep(250);
		}
		throw new AssertionError(deployId + " did not finish in 90 s; last seen: " + last);
	}

	private static void awaitReady(String service, int port, Duration timeout) throws Exception {
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
		throw new AssertionError(service + " not ready on port " + port + " within " + timeout + "; see "
				+ home.resolve(service + ".log"));
	}

	private static String log(String service) throws IOException {
		return Files.readString(home.resolve(service + ".log"), StandardCharsets.UTF_8);
	}

	private static void run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("broker-script.log").toFile()));
		builder.environment().putAll(env);
		Process process = builder.start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(command + " did not finish within " + timeout);
		}
		assertThat(process.exitValue()).as("%s (see %s)", command, home.resolve("broker-script.log")).isZero();
	}

	private static String commit(Git git, Path repo, String file, String content, String message) throws Exception {
		Files.writeString(repo.resolve(file), content);
		git.add().addFilepattern(".").call();
		PersonIdent bob = new PersonIdent("Bob Ross", "bob@stop.local");
		return git.commit().setMessage(message).setAuthor(bob).setCommitter(bob).call().name();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
