package io.stopbob.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.stopbob.slack.SlackRequestSigner;

/**
 * A stack under one folder: the broker (through {@code bin/kafka-broker}), the four
 * services as JVMs with pid files, logs and GC logs, up to {@link #MAX_INSTANCES} of
 * each. {@link #local} is {@code bin/stop}'s ({@code .stop/}, ports 8081-8084 and 9092,
 * see {@link #localPort} for further instances); {@link #scratch} is a test's or a
 * benchmark's (its own folder, free loopback ports, no secrets inherited). Starting twice
 * says so; a pid file whose process is gone is ignored; every wait has a deadline.
 */
public final class Stack {

	public static final String VERSION = "0.1.0-SNAPSHOT";

	static final String API_TOKEN_DEFAULT = "local-api-token";

	public static final List<String> SERVICES = List.of("slack-ingress", "release-tagger", "changelog-poster",
			"rollout-service");

	/**
	 * Instances of each service a stack runs at most: ten keep the local stack's ports
	 * (8081-8174) clear of the broker's (9092, 9093).
	 */
	public static final int MAX_INSTANCES = 10;

	public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	public final Path root;

	public final Path home;

	private final Map<String, Integer> ports = new LinkedHashMap<>();

	private final List<Integer> kafkaPorts = new ArrayList<>();

	private final List<Integer> controllerPorts = new ArrayList<>();

	private final boolean scratch;

	private final String heap;

	private Path catalog;

	private List<String> args = List.of();

	private final Map<String, String> env = new HashMap<>();

	/** Whether the bus takes only named users over TLS, with ACLs. */
	private boolean secure;

	private Stack(Path root, Path home, boolean scratch, int brokers) throws IOException {
		this.root = root;
		this.home = home;
		this.scratch = scratch;
		this.heap = Optional.ofNullable(System.getenv("STOP_HEAP")).orElse("256m");
		for (int i = 0; i < brokers; i++) {
			this.kafkaPorts
				.add(scratch ? freePort() : Integer.parseInt(System.getenv().getOrDefault("KAFKA_PORT", "9092")));
			this.controllerPorts.add(scratch ? freePort()
					: Integer.parseInt(System.getenv().getOrDefault("KAFKA_CONTROLLER_PORT", "9093")));
		}
		for (String service : SERVICES) {
			// Every local instance's port is known, so a later bin/stop finds them all; a
			// scratch stack's further instances get theirs when they start.
			for (int number = 1; number <= (scratch ? 1 : MAX_INSTANCES); number++) {
				this.ports.put(instance(service, number), scratch ? freePort() : localPort(service, number));
			}
		}
		this.catalog = root.resolve("config/catalog.yml");
		this.env.put("STOP_API_TOKEN", apiTokenOf(System.getenv()));
		// The command line's token acts as the local developer, whom the local catalog
		// lists among production's deployers.
		this.env.put("STOP_API_USER", System.getenv().getOrDefault("STOP_API_USER", "U0LOCALDEV"));
		this.env.put("SLACK_SIGNING_SECRET",
				System.getenv().getOrDefault("SLACK_SIGNING_SECRET", "local-signing-secret"));
	}

	/**
	 * {@code bin/stop}'s stack: {@code .stop/} (or {@code STOP_HOME}), fixed ports; a
	 * secured bus with {@code STOP_BUS_SECURE=1}.
	 */
	public static Stack local(Path root) throws IOException {
		Stack stack = new Stack(root,
				Optional.ofNullable(System.getenv("STOP_HOME")).map(Path::of).orElse(root.resolve(".stop")), false, 1);
		return (System.getenv("STOP_BUS_SECURE") != null) ? stack.secured() : stack;
	}

	/**
	 * A stack of its own under {@code home}, on free ports, for a test or a benchmark.
	 */
	public static Stack scratch(Path root, Path home) throws IOException {
		return scratch(root, home, 1);
	}

	/**
	 * A scratch stack whose broker is a cluster of this many KRaft nodes (see
	 * {@code bin/kafka-broker}).
	 */
	public static Stack scratch(Path root, Path home, int brokers) throws IOException {
		Files.createDirectories(home);
		return new Stack(root, home, true, brokers);
	}

	/**
	 * The services' catalog, extra arguments and environment (over the defaults); before
	 * {@link #up}.
	 */
	public Stack with(Path catalog, List<String> args, Map<String, String> env) {
		this.catalog = catalog;
		this.args = List.copyOf(args);
		this.env.putAll(env);
		return this;
	}

	/**
	 * The broker takes SASL over TLS and authorizes by ACL; each service signs in as
	 * itself and the command line as the operator. Before {@link #up}.
	 */
	public Stack secured() {
		this.secure = true;
		return this;
	}

	public boolean isSecured() {
		return this.secure;
	}

	/** Clients of this stack's bus, as the operator on a secured one. */
	public Kafka kafka() throws IOException {
		return kafkaAs(BusAccess.OPERATOR);
	}

	/**
	 * Clients of this stack's bus signed in as {@code user} ({@code admin}, the operator
	 * or a service), or plain when the bus is not secured.
	 */
	public Kafka kafkaAs(String user) throws IOException {
		if (!this.secure) {
			return new Kafka(bootstrapServers());
		}
		return new Kafka(bootstrapServers(),
				Kafka.credentials(user, secret(user), secrets().resolve("truststore.p12").toString(), secret("store")));
	}

	/**
	 * The services' partition count ({@code --stop.bus.partitions}), as they would make
	 * the topics.
	 */
	private int partitions() {
		return this.args.stream()
			.filter((arg) -> arg.startsWith("--stop.bus.partitions="))
			.map((arg) -> Integer.parseInt(arg.substring(arg.indexOf('=') + 1)))
			.findFirst()
			.orElse(6);
	}

	private Path secrets() {
		return this.home.resolve("kafka/secrets");
	}

	private String secret(String name) throws IOException {
		return Files.readString(secrets().resolve(name + ".password")).strip();
	}

	public String apiToken() {
		return this.env.get("STOP_API_TOKEN");
	}

	/**
	 * Types {@code /stop <text>} as the user, signed as Slack signs it, and returns
	 * slack-ingress's answer.
	 */
	public HttpResponse<String> slash(String userId, String userName, String text)
			throws IOException, InterruptedException {
		return slash(userId, userName, text, null);
	}

	/**
	 * The same, with the URL where an answer that comes later is sent (Slack's
	 * {@code response_url}).
	 */
	public HttpResponse<String> slash(String userId, String userName, String text, String responseUrl)
			throws IOException, InterruptedException {
		String body = "command=%2Fstop&team_id=T0LOCAL&channel_id=C0LOCAL&user_id="
				+ URLEncoder.encode(userId, StandardCharsets.UTF_8) + "&user_name="
				+ URLEncoder.encode(userName, StandardCharsets.UTF_8) + "&trigger_id=local." + System.nanoTime()
				+ "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8) + ((responseUrl != null)
						? "&response_url=" + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8) : "");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("slack-ingress", "/slack/events")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		new SlackRequestSigner(this.env.get("SLACK_SIGNING_SECRET")).headers(body, Instant.now())
			.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String apiTokenOf(Map<String, String> env) {
		return env.getOrDefault("STOP_API_TOKEN", API_TOKEN_DEFAULT);
	}

	public String bootstrapServers() {
		return this.kafkaPorts.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	public String url(String service, String path) {
		return "http://127.0.0.1:" + this.ports.get(service) + path;
	}

	public Path log(String service) {
		return this.home.resolve("logs/" + service + ".log");
	}

	public Path gcLog(String service) {
		return this.home.resolve("logs/" + service + "-gc.log");
	}

	/** The broker and one instance of every service; returns when all are ready. */
	public void up(PrintStream out) throws Exception {
		up(1, out);
	}

	/**
	 * The broker and {@code instances} of every service (see {@link #scale}); returns
	 * when all are ready.
	 */
	public void up(int instances, PrintStream out) throws Exception {
		broker(out, "start");
		if (this.secure) {
			try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin
				.create(kafkaAs("admin").config())) {
				BusAccess.grant(admin, partitions(), Optional.empty());
			}
			out.println("kafka: topics and ACLs set; services sign in as themselves, the command line as "
					+ BusAccess.OPERATOR);
		}
		scale(instances, out);
	}

	/**
	 * Exactly {@code count} instances of every service, all ready: those missing are
	 * started, those past the count stopped. The bus's partitions spread across a
	 * service's instances.
	 */
	public void scale(int count, PrintStream out) throws Exception {
		checkInstances(count);
		for (String service : SERVICES) {
			for (int number = count + 1; number <= MAX_INSTANCES; number++) {
				stop(instance(service, number), out);
			}
		}
		List<String> started = new ArrayList<>();
		for (int number = 1; number <= count; number++) {
			for (String service : SERVICES) {
				started.add(start(service, number, out));
			}
		}
		for (String instance : started) {
			awaitReady(instance, Duration.ofSeconds(120));
		}
	}

	/**
	 * Starts the service's first instance (unless it runs); {@link #awaitReady} waits for
	 * it.
	 */
	public void start(String service, PrintStream out) throws IOException {
		start(service, 1, out);
	}

	/**
	 * Starts the service's {@code number}-th instance (unless it runs) on a port of its
	 * own, and returns its name, which {@link #url}, {@link #awaitReady} and
	 * {@link #stop} take.
	 */
	public String start(String service, int number, PrintStream out) throws IOException {
		String instance = instance(service, checkInstances(number));
		if (!this.ports.containsKey(instance)) {
			this.ports.put(instance, freePort());
		}
		launch(service, instance, out);
		return instance;
	}

	/**
	 * The name of a service's {@code number}-th instance: {@code <service>-<number>}, but
	 * the first's is the service's.
	 */
	public static String instance(String service, int number) {
		return (number == 1) ? service : service + "-" + number;
	}

	/**
	 * The local stack's port of a service's {@code number}-th instance: the first on
	 * 8081-8084 (in {@link #SERVICES} order), each further one 10 above the one before
	 * (the second on 8091-8094, the tenth on 8171-8174).
	 */
	static int localPort(String service, int number) {
		return 8081 + SERVICES.indexOf(service) + 10 * (number - 1);
	}

	/** The count, when a stack may run that many instances of each service. */
	static int checkInstances(int count) {
		if (count < 1 || count > MAX_INSTANCES) {
			throw new IllegalArgumentException(
					"a stack runs 1 to " + MAX_INSTANCES + " instances of each service, not " + count);
		}
		return count;
	}

	/**
	 * The first instance of every service and each further one with a pid file, also
	 * those another {@code bin/stop} started: what {@link #ps} lists and {@link #down}
	 * stops.
	 */
	List<String> instances() {
		List<String> instances = new ArrayList<>();
		for (String service : SERVICES) {
			instances.add(service);
			for (int number = 2; number <= MAX_INSTANCES; number++) {
				if (Files.exists(pidFile(instance(service, number)))) {
					instances.add(instance(service, number));
				}
			}
		}
		return instances;
	}

	private void launch(String service, String instance, PrintStream out) throws IOException {
		Optional<ProcessHandle> running = process(instance);
		if (running.isPresent()) {
			out.println(instance + ": already running (pid " + running.get().pid() + ") on port "
					+ this.ports.get(instance));
			return;
		}
		Files.createDirectories(this.home.resolve("logs"));
		// Run a copy of one's own: neither a build nor another instance's start may swap
		// the jar under a running JVM.
		Path jar = this.home.resolve("jars/" + instance + ".jar");
		Files.createDirectories(jar.getParent());
		Files.copy(this.root.resolve(service + "/target/" + service + "-" + VERSION + ".jar"), jar,
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		List<String> command = new ArrayList<>(List.of("java", "-Xmx" + this.heap,
				"-Xlog:gc:file=" + gcLog(instance) + ":uptime", "-jar", jar.toString(),
				"--server.port=" + this.ports.get(instance), "--spring.kafka.bootstrap-servers=" + bootstrapServers(),
				"--stop.catalog.location=file:" + this.catalog,
				"--stop.tagger.ci.work-dir=" + this.home.resolve("ci")));
		command.addAll(this.args);
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.root.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log(instance).toFile()));
		if (this.scratch) {
			// A scratch stack talks only to what its caller gives it.
			builder.environment()
				.keySet()
				.removeIf((name) -> name.startsWith("SLACK_") || name.startsWith("GITHUB_") || name.startsWith("STOP_")
						|| name.startsWith("AWS_"));
			builder.environment().putAll(this.env);
		}
		else {
			this.env.forEach(builder.environment()::putIfAbsent);
		}
		if (this.secure) {
			builder.environment()
				.putAll(Map.of("STOP_BUS_USER", service, "STOP_BUS_PASSWORD", secret(service), "STOP_BUS_TRUSTSTORE",
						secrets().resolve("truststore.p12").toString(), "STOP_BUS_TRUSTSTORE_PASSWORD",
						secret("store")));
		}
		Process process = builder.start();
		Files.writeString(pidFile(instance), Long.toString(process.pid()));
		out.println(instance + ": starting (pid " + process.pid() + ") on port " + this.ports.get(instance) + ", log "
				+ log(instance));
	}

	/** SIGKILL: no shutdown hook, no graceful close, as a crashed host would. */
	public void kill(String service) throws Exception {
		Optional<ProcessHandle> running = process(service);
		if (running.isPresent()) {
			running.get().destroyForcibly();
			running.get().onExit().get(20, TimeUnit.SECONDS);
		}
		Files.deleteIfExists(pidFile(service));
	}

	public void down(PrintStream out) throws Exception {
		for (String instance : instances()) {
			stop(instance, out);
		}
		broker(out, "stop");
	}

	/** SIGTERM, so the service leaves its consumer group; SIGKILL after 20 s. */
	public void stop(String service, PrintStream out) throws Exception {
		Optional<ProcessHandle> running = process(service);
		if (running.isPresent()) {
			ProcessHandle process = running.get();
			process.destroy();
			boolean stopped = process.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).get() != null
					|| !process.isAlive();
			if (!stopped) {
				process.destroyForcibly();
			}
			out.println(service + ": " + (stopped ? "stopped" : "killed after 20 s"));
		}
		Files.deleteIfExists(pidFile(service));
	}

	public void ps(PrintStream out) {
		out.printf("%-18s %-8s %-8s %-10s %s%n", "PROCESS", "PID", "RSS_MB", "HEALTH", "URL");
		Optional<ProcessHandle> kafka = broker();
		out.printf("%-18s %-8s %-8s %-10s %s%n", "kafka", kafka.map((p) -> Long.toString(p.pid())).orElse("-"),
				kafka.map((p) -> Long.toString(rssMb(p))).orElse("-"), kafka.isPresent() ? "UP" : "DOWN",
				kafka.isPresent() ? bootstrapServers() : "-");
		for (String instance : instances()) {
			Optional<ProcessHandle> running = process(instance);
			out.printf("%-18s %-8s %-8s %-10s %s%n", instance, running.map((p) -> Long.toString(p.pid())).orElse("-"),
					running.map((p) -> Long.toString(rssMb(p))).orElse("-"),
					running.isPresent() ? (ready(instance) ? "UP" : "DOWN") : "DOWN",
					running.isPresent() ? url(instance, "/actuator/health") : "-");
		}
	}

	/**
	 * {@code bin/kafka-broker start|stop|kill <node>} for this stack's broker (or
	 * cluster).
	 */
	public void broker(PrintStream out, String... command) throws Exception {
		List<String> line = new ArrayList<>(List.of("bash", this.root.resolve("bin/kafka-broker").toString()));
		line.addAll(List.of(command));
		ProcessBuilder builder = new ProcessBuilder(line).directory(this.root.toFile()).redirectErrorStream(true);
		builder.environment().put("STOP_HOME", this.home.toString());
		if (this.secure) {
			builder.environment().put("KAFKA_SECURE", "1");
		}
		builder.environment()
			.put("KAFKA_PORT", this.kafkaPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
		builder.environment()
			.put("KAFKA_CONTROLLER_PORT",
					this.controllerPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
		Process process = builder.start();
		process.getInputStream().transferTo(out);
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("bin/kafka-broker " + String.join(" ", command) + " failed");
		}
	}

	public Optional<ProcessHandle> broker() {
		return readPid(this.home.resolve("kafka/kafka.pid"));
	}

	public void awaitReady(String service, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!ready(service)) {
			if (process(service).isEmpty()) {
				throw new IllegalStateException(service + " exited; see " + log(service));
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(service + " not ready within " + timeout + "; see " + log(service));
			}
			Thread.sleep(250);
		}
	}

	public Optional<ProcessHandle> process(String service) {
		return readPid(pidFile(service));
	}

	boolean jarsBuilt() {
		return SERVICES.stream()
			.allMatch((service) -> Files
				.exists(this.root.resolve(service + "/target/" + service + "-" + VERSION + ".jar")));
	}

	private boolean ready(String service) {
		try {
			HttpResponse<Void> response = HTTP
				.send(HttpRequest.newBuilder(URI.create(url(service, "/actuator/health/readiness")))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
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

	private Path pidFile(String service) {
		return this.home.resolve(service + ".pid");
	}

	/** Resident set size in MB, from {@code /proc}; -1 when unknown. */
	public static long rssMb(ProcessHandle process) {
		try {
			return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))
				.stream()
				.filter((line) -> line.startsWith("VmRSS:"))
				.mapToLong((line) -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
				.findFirst()
				.orElse(-1);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
