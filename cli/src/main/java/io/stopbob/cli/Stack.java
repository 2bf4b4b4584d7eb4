package io.stopbob.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local stack under one folder ({@code .stop/}, or {@code STOP_HOME}): the broker
 * (through {@code bin/kafka-broker}), the four services as JVMs with pid files and logs,
 * and the demo repository. Starting twice says so; a pid file whose process is gone is
 * ignored.
 */
final class Stack {

	static final String VERSION = "0.1.0-SNAPSHOT";

	static final String API_TOKEN_DEFAULT = "local-api-token";

	static final List<Service> SERVICES = List.of(new Service("slack-ingress", 8081),
			new Service("release-tagger", 8082), new Service("changelog-poster", 8083),
			new Service("rollout-service", 8084));

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	final Path root;

	final Path home;

	final String heap;

	Stack(Path root) {
		this.root = root;
		this.home = Optional.ofNullable(System.getenv("STOP_HOME")).map(Path::of).orElse(root.resolve(".stop"));
		this.heap = Optional.ofNullable(System.getenv("STOP_HEAP")).orElse("256m");
	}

	String apiToken() {
		return Optional.ofNullable(System.getenv("STOP_API_TOKEN")).orElse(API_TOKEN_DEFAULT);
	}

	void up(java.io.PrintStream out) throws Exception {
		Files.createDirectories(this.home.resolve("logs"));
		DemoRepository.create(this.home.resolve("demo-repo"), out);
		script(out, "bin/kafka-broker", "start");
		for (Service service : SERVICES) {
			Optional<ProcessHandle> running = running(service);
			if (running.isPresent()) {
				out.println(service.name() + ": already running (pid " + running.get().pid() + ") on port "
						+ service.port());
				continue;
			}
			ProcessBuilder builder = new ProcessBuilder("java", "-Xmx" + this.heap, "-jar",
					this.root.resolve(service.name() + "/target/" + service.name() + "-" + VERSION + ".jar").toString(),
					"--server.port=" + service.port(),
					"--stop.catalog.location=file:" + this.root.resolve("config/catalog.yml"),
					"--stop.tagger.ci.work-dir=" + this.home.resolve("ci"), "--stop.tagger.ci.poll-interval=1s",
					"--stop.rollout.poll-interval=1s")
				.directory(this.root.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log(service).toFile()));
			builder.environment().putIfAbsent("STOP_API_TOKEN", API_TOKEN_DEFAULT);
			builder.environment().putIfAbsent("SLACK_SIGNING_SECRET", "local-signing-secret");
			Process process = builder.start();
			Files.writeString(pidFile(service), Long.toString(process.pid()));
			out.println(service.name() + ": starting (pid " + process.pid() + ") on port " + service.port() + ", log "
					+ log(service));
		}
		for (Service service : SERVICES) {
			awaitReady(service, Duration.ofSeconds(120));
		}
	}

	void down(java.io.PrintStream out) throws Exception {
		for (Service service : SERVICES) {
			Optional<ProcessHandle> running = running(service);
			if (running.isPresent()) {
				ProcessHandle process = running.get();
				process.destroy();
				boolean stopped = process.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).get() != null
						|| !process.isAlive();
				if (!stopped) {
					process.destroyForcibly();
				}
				out.println(service.name() + ": " + (stopped ? "stopped" : "killed after 20 s"));
			}
			Files.deleteIfExists(pidFile(service));
		}
		script(out, "bin/kafka-broker", "stop");
	}

	void ps(java.io.PrintStream out) {
		out.printf("%-18s %-8s %-8s %-10s %s%n", "PROCESS", "PID", "RSS_MB", "HEALTH", "URL");
		Optional<ProcessHandle> kafka = readPid(this.home.resolve("kafka/kafka.pid"));
		out.printf("%-18s %-8s %-8s %-10s %s%n", "kafka", kafka.map((p) -> Long.toString(p.pid())).orElse("-"),
				kafka.map(Stack::rssMb).orElse("-"), kafka.isPresent() ? "UP" : "DOWN",
				kafka.isPresent() ? "127.0.0.1:9092" : "-");
		for (Service service : SERVICES) {
			Optional<ProcessHandle> running = running(service);
			out.printf("%-18s %-8s %-8s %-10s %s%n", service.name(),
					running.map((p) -> Long.toString(p.pid())).orElse("-"), running.map(Stack::rssMb).orElse("-"),
					running.isPresent() ? readiness(service) : "DOWN",
					running.isPresent() ? "http://127.0.0.1:" + service.port() + "/actuator/health" : "-");
		}
	}

	Path log(Service service) {
		return this.home.resolve("logs/" + service.name() + ".log");
	}

	boolean jarsBuilt() {
		return SERVICES.stream()
			.allMatch((service) -> Files
				.exists(this.root.resolve(service.name() + "/target/" + service.name() + "-" + VERSION + ".jar")));
	}

	private void awaitReady(Service service, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!"UP".equals(readiness(service))) {
			if (running(service).isEmpty()) {
				throw new IllegalStateException(service.name() + " exited; see " + log(service));
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						service.name() + " not ready within " + timeout + "; see " + log(service));
			}
			Thread.sleep(500);
		}
	}

	private static String readiness(Service service) {
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(2))
				.build(), HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? "UP" : "DOWN";
		}
		catch (IOException ex) {
			return "DOWN";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "DOWN";
		}
	}

	private Optional<ProcessHandle> running(Service service) {
		return readPid(pidFile(service));
	}

	private static Optional<ProcessHandle> readPid(Path file) {
		try {
			return Files.exists(file)
					? ProcessHandle.of(Long.parseLong(Files.readString(file).strip())).filter(ProcessHandle::isAlive)
					: Optional.empty();
		}
		catch (IOException | NumberFormatException stale) {
			return Optional.empty();
		}
	}

	private Path pidFile(Service service) {
		return this.home.resolve(service.name() + ".pid");
	}

	private static String rssMb(ProcessHandle process) {
		try {
			return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))
				.stream()
				.filter((line) -> line.startsWith("VmRSS:"))
				.map((line) -> Long.toString(Long.parseLong(line.replaceAll("\\D", "")) / 1024))
				.findFirst()
				.orElse("?");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private void script(java.io.PrintStream out, String script, String command) throws Exception {
		Process process = new ProcessBuilder("bash", this.root.resolve(script).toString(), command)
			.directory(this.root.toFile())
			.redirectErrorStream(true)
			.start();
		process.getInputStream().transferTo(out);
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException(script + " " + command + " failed");
		}
	}

	record Service(String name, int port) {
	}

}
