package io.stopbob.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.stopbob.cli.bench.BenchCommand;
import io.stopbob.cli.log.DeadLetters;
import io.stopbob.cli.log.Replay;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bin/stop}: StoP Bob on this machine. */
// --help on every subcommand too.
@Command(name = "stop", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
		description = "Run StoP Bob on this machine: a KRaft broker on 127.0.0.1 and the four services.",
		subcommands = { StopCli.Up.class, StopCli.Down.class, StopCli.Ps.class, StopCli.Deploy.class,
				StopCli.Rollback.class, StopCli.Slash.class, StopCli.ReplayLog.class, StopCli.Dlt.class,
				StopCli.Demo.class, StopCli.BusGrant.class })
public final class StopCli {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final PrintStream OUT = System.out;

	private StopCli() {
	}

	public static void main(String[] args) {
		CommandLine commandLine = new CommandLine(new StopCli()).addSubcommand("bench", new BenchCommand(root()));
		// What follows `slack` is a /stop command with options of its own (lock --for
		// 2h).
		commandLine.getSubcommands().get("slack").setStopAtPositional(true);
		System.exit(commandLine.setExecutionExceptionHandler((ex, failed, parsed) -> {
			failed.getErr().println("stop: " + ex.getMessage());
			return 2;
		}).execute(args));
	}

	static Path root() {
		return Path.of(System.getProperty("stop.root", ".")).toAbsolutePath().normalize();
	}

	static Stack stack() throws IOException {
		Path root = root();
		return Stack.local(root)
			.with(root.resolve("config/catalog.yml"),
					List.of("--stop.tagger.ci.poll-interval=1s", "--stop.rollout.poll-interval=1s"), Map.of());
	}

	@Command(name = "bus-grant",
			description = "Make the topics and set the ACLs of a secured bus, signed in as its admin"
					+ " (STOP_BUS_USER, STOP_BUS_PASSWORD, STOP_BUS_TRUSTSTORE, STOP_BUS_TRUSTSTORE_PASSWORD);"
					+ " for a bus bin/stop did not start, e.g. docker compose's.")
	static class BusGrant implements Callable<Integer> {

		@CommandLine.Option(names = "--bootstrap-servers",
				defaultValue = "${env:SPRING_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}")
		String bootstrapServers;

		@CommandLine.Option(names = "--partitions", defaultValue = "6",
				description = "partitions of each topic, as the services' stop.bus.partitions")
		int partitions;

		@Override
		public Integer call() throws Exception {
			Map<String, String> env = System.getenv();
			for (String variable : List.of("STOP_BUS_USER", "STOP_BUS_PASSWORD", "STOP_BUS_TRUSTSTORE",
					"STOP_BUS_TRUSTSTORE_PASSWORD")) {
				if (env.getOrDefault(variable, "").isBlank()) {
					OUT.println("bus-grant: " + variable + " is not set");
					return 2;
				}
			}
			Kafka kafka = new Kafka(this.bootstrapServers,
					Kafka.credentials(env.get("STOP_BUS_USER"), env.get("STOP_BUS_PASSWORD"),
							env.get("STOP_BUS_TRUSTSTORE"), env.get("STOP_BUS_TRUSTSTORE_PASSWORD")));
			try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin
				.create(kafka.config())) {
				BusAccess.grant(admin, this.partitions, java.util.Optional.empty());
			}
			OUT.println("bus-grant: topics and ACLs set on " + this.bootstrapServers);
			return 0;
		}

	}

	@Command(name = "up", description = "Start the broker and the services (local adapters), --instances of each,"
			+ " stopping any instances past that count; wait until all are ready.")
	static class Up implements Callable<Integer> {

		@CommandLine.Option(names = "--instances", defaultValue = "1", converter = InstanceCount.class,
				paramLabel = "<count>",
				description = "instances of each service, 1 to " + Stack.MAX_INSTANCES + " (${DEFAULT-VALUE}):"
						+ " the first on 8081-8084, each further one 10 ports above the one before"
						+ " (slack-ingress-2 to rollout-service-2 on 8091-8094)")
		int instances;

		@Override
		public Integer call() throws Exception {
			Stack stack = up(this.instances);
			stack.ps(OUT);
			OUT.println("stop with: bin/stop down");
			return 0;
		}

	}

	@Command(name = "down",
			description = "Stop every instance of the services (gracefully, then by pid) and the broker.")
	static class Down implements Callable<Integer> {

		@Override
		public Integer call() throws Exception {
			stack().down(OUT);
			return 0;
		}

	}

	@Command(name = "ps", description = "Each process, every instance of a service, with its pid, RSS and readiness.")
	static class Ps implements Callable<Integer> {

		@Override
		public Integer call() throws IOException {
			stack().ps(OUT);
			return 0;
		}

	}

	@Command(name = "deploy", description = "Ask slack-ingress for a deploy and follow it to its end; "
			+ "exit 0 only when it SUCCEEDED.")
	static class Deploy implements Callable<Integer> {

		@Parameters(index = "0", description = "the app, e.g. demo")
		String app;

		@Parameters(index = "1", description = "the environment, e.g. staging")
		String environment;

		@Parameters(index = "2", description = "a commit SHA, or a ref of the app's local repository (HEAD~1)")
		String ref;

		@Override
		public Integer call() throws Exception {
			Stack stack = stack();
			long asked = System.nanoTime();
			String outcome = follow(stack,
					request(stack, this.app, this.environment, resolve(stack, this.app, this.ref)), asked);
			return outcome.contains("\"outcome\":\"SUCCEEDED\"") ? 0 : 1;
		}

	}

	@Command(name = "rollback", description = "Roll the target back to its last good release (the SHA before the one"
			+ " running) and follow it; prints how long until the rollout started.")
	static class Rollback implements Callable<Integer> {

		@Parameters(index = "0", description = "the app, e.g. demo")
		String app;

		@Parameters(index = "1", description = "the environment, e.g. staging")
		String environment;

		@Override
		public Integer call() throws Exception {
			Stack stack = stack();
			long confirmed = System.nanoTime();
			String deployId = request(stack, "{\"app\":\"" + this.app + "\",\"environment\":\"" + this.environment
					+ "\",\"kind\":\"rollback\"}");
			String outcome = follow(stack, deployId, confirmed);
			return outcome.contains("\"outcome\":\"SUCCEEDED\"") ? 0 : 1;
		}

	}

	@Command(name = "slack", description = "Type a /stop command as the local developer (U0LOCALDEV), signed as"
			+ " Slack signs it, and print the answer: status, history, lock, unlock, queue, cancel, notify, help.")
	static class Slash implements Callable<Integer> {

		@Parameters(arity = "1..*", description = "what follows /stop, e.g. status demo")
		List<String> words;

		/**
		 * How long an answer read from the log may take (slack-ingress gives it 120 s).
		 */
		private static final Duration LATER = Duration.ofSeconds(150);

		@Override
		public Integer call() throws Exception {
			// Slack's response_url, here: where an answer that takes longer than the
			// acknowledgement (older history read from the log) arrives.
			CompletableFuture<String> later = new CompletableFuture<>();
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/respond", (exchange) -> {
				later.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			server.start();
			try {
				HttpResponse<String> response = stack().slash("U0LOCALDEV", System.getProperty("user.name", "you"),
						String.join(" ", this.words), "http://127.0.0.1:" + server.getAddress().getPort() + "/respond");
				String text = response.body().isEmpty() ? "" : unescape(field(response.body(), "text"));
				OUT.println(text.isEmpty() ? "(" + response.statusCode() + ", see the slack-ingress log)" : text);
				if (response.statusCode() == 200 && text.startsWith(":hourglass: Reading older deploys from the log")) {
					OUT.println(unescape(field(later.get(LATER.toSeconds(), TimeUnit.SECONDS), "text")));
				}
				return (response.statusCode() == 200) ? 0 : 1;
			}
			finally {
				server.stop(0);
			}
		}

	}

	@Command(name = "replay", description = "Publish the pipeline log again (event ids and all: consumers have seen"
			+ " them, so nothing outside happens twice), or re-drive one stuck deploy by publishing its last event"
			+ " under a new event id.")
	static class ReplayLog implements Callable<Integer> {

		@CommandLine.Option(names = "--from", defaultValue = "beginning",
				description = "beginning, or an ISO-8601 time such as 2026-11-27T09:00:00Z")
		String from;

		@CommandLine.Option(names = "--deploy", description = "re-drive this deploy only")
		String deployId;

		@CommandLine.Option(names = "--dry-run", description = "show what would be published, publish nothing")
		boolean dryRun;

		@Override
		public Integer call() throws Exception {
			Replay replay = new Replay(stack().kafka(), OUT);
			if (this.deployId != null) {
				replay.redrive(this.deployId, this.dryRun);
			}
			else {
				replay.replay("beginning".equals(this.from) ? Instant.EPOCH : Instant.parse(this.from), this.dryRun);
			}
			return 0;
		}

	}

	@Command(name = "dlt", description = "The dead-letter topics: list what is in them, or retry one record.",
			subcommands = { Dlt.List.class, Dlt.Retry.class })
	static class Dlt {

		@Command(name = "list", description = "Each dead letter with its topic, offset, time, deploy and failure.")
		static class List implements Callable<Integer> {

			@Override
			public Integer call() throws Exception {
				DeadLetters letters = new DeadLetters(stack().kafka());
				letters.print(letters.list(), OUT);
				return 0;
			}

		}

		@Command(name = "retry",
				description = "Publish one dead letter back to its original topic, after its cause" + " is fixed.")
		static class Retry implements Callable<Integer> {

			@Parameters(index = "0",
					description = "the dead-letter topic (or its original topic), e.g. build-passed.DLT")
			String topic;

			@Parameters(index = "1", description = "the offset `dlt list` shows")
			long offset;

			@CommandLine.Option(names = "--partition", defaultValue = "-1",
					description = "the partition, when the offset is in more than one")
			int partition;

			@Override
			public Integer call() throws Exception {
				DeadLetters.DeadLetter letter = new DeadLetters(stack().kafka()).retry(this.topic, this.offset,
						this.partition);
				OUT.println("published " + letter.topic() + "/" + letter.partition() + "/" + letter.offset()
						+ " (deploy " + letter.deployId() + ") back to its topic");
				return 0;
			}

		}

	}

	@Command(name = "demo", description = "Start everything, deploy a good commit of the demo app, then the one "
			+ "that fails its health check, printing the Slack thread as it happens. Leaves the stack running.")
	static class Demo implements Callable<Integer> {

		@Override
		public Integer call() throws Exception {
			long start = System.nanoTime();
			Stack stack = up(1);
			OUT.println("\n== a good commit to staging");
			String good = follow(stack, request(stack, "demo", "staging", resolve(stack, "demo", "HEAD~1")),
					System.nanoTime());
			OUT.printf("(first deploy finished %.1f s after bin/stop demo started)%n",
					(System.nanoTime() - start) / 1e9);
			OUT.println("\n== the commit that fails its health check");
			String bad = follow(stack, request(stack, "demo", "staging", resolve(stack, "demo", "HEAD")),
					System.nanoTime());
			OUT.println();
			stack.ps(OUT);
			OUT.println("\nhealth: http://127.0.0.1:8081/actuator/health (and 8082-8084)");
			OUT.println("threads: grep '^\\[d-' " + stack.log(Stack.SERVICES.get(0)));
			OUT.println("stop with: bin/stop down");
			return (good.contains("\"outcome\":\"SUCCEEDED\"") && bad.contains("\"outcome\":\"ROLLED_BACK\"")) ? 0 : 1;
		}

	}

	/**
	 * The local stack, started with this many instances of each service, with the demo
	 * app's repository (made once).
	 */
	static Stack up(int instances) throws Exception {
		Stack stack = stack();
		DemoRepository.create(stack.home.resolve("demo-repo"), OUT);
		stack.up(instances, OUT);
		return stack;
	}

	/** An {@code --instances} count, 1 to {@link Stack#MAX_INSTANCES}. */
	public static final class InstanceCount implements CommandLine.ITypeConverter<Integer> {

		@Override
		public Integer convert(String value) {
			try {
				return Stack.checkInstances(Integer.parseInt(value));
			}
			catch (NumberFormatException ex) {
				throw new CommandLine.TypeConversionException("'" + value + "' is not a number of instances");
			}
			catch (IllegalArgumentException ex) {
				throw new CommandLine.TypeConversionException(ex.getMessage());
			}
		}

	}

	/**
	 * A SHA as given, or a ref resolved in the app's repository when the catalog names a
	 * local one.
	 */
	static String resolve(Stack stack, String app, String ref) throws IOException {
		if (ref.matches("[0-9a-fA-F]{7,40}")) {
			return ref;
		}
		String repository = repositoryOf(stack, app);
		File dir = stack.root.resolve(repository).toFile();
		if (!new File(dir, ".git").isDirectory()) {
			throw new IllegalArgumentException(ref + " is not a SHA, and " + app + "'s repository (" + repository
					+ ") is not a local git repository to resolve it in");
		}
		try (Git git = Git.open(dir)) {
			ObjectId id = git.getRepository().resolve(ref + "^{commit}");
			if (id == null) {
				throw new IllegalArgumentException("no commit " + ref + " in " + dir);
			}
			return id.name();
		}
	}

	@SuppressWarnings("unchecked")
	private static String repositoryOf(Stack stack, String app) throws IOException {
		Map<String, Object> catalog = new Yaml().load(Files.readString(stack.root.resolve("config/catalog.yml")));
		Map<String, Object> apps = (Map<String, Object>) catalog.get("apps");
		if (apps == null || !apps.containsKey(app)) {
			throw new IllegalArgumentException(
					"unknown app " + app + "; the catalog has " + (apps == null ? "none" : apps.keySet()));
		}
		return (String) ((Map<String, Object>) apps.get(app)).get("repository");
	}

	private static String request(Stack stack, String app, String environment, String sha) throws Exception {
		return request(stack,
				"{\"app\":\"" + app + "\",\"environment\":\"" + environment + "\",\"sha\":\"" + sha + "\"}");
	}

	private static String request(Stack stack, String body) throws Exception {
		HttpResponse<String> response = HTTP
			.send(HttpRequest.newBuilder(URI.create(stack.url("slack-ingress", "/api/deploys")))
				.header("Authorization", "Bearer " + stack.apiToken())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 202) {
			throw new IllegalStateException("refused (" + response.statusCode() + "): " + response.body());
		}
		return field(response.body(), "deployId");
	}

	/**
	 * Prints the deploy's thread as it is written, until the outcome, and how long after
	 * {@code asked} its rollout started; returns the deploy's JSON.
	 */
	private static String follow(Stack stack, String deployId, long asked) throws Exception {
		Path log = stack.log(Stack.SERVICES.get(0));
		int printed = 0;
		boolean rolling = false;
		long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
		while (System.nanoTime() < deadline) {
			List<String> thread = Files.readAllLines(log, StandardCharsets.UTF_8)
				.stream()
				.filter((line) -> line.startsWith("[" + deployId + "]"))
				.toList();
			thread.subList(printed, thread.size()).forEach(OUT::println);
			printed = thread.size();
			HttpResponse<String> state = HTTP
				.send(HttpRequest.newBuilder(URI.create(stack.url("slack-ingress", "/api/deploys/" + deployId)))
					.header("Authorization", "Bearer " + stack.apiToken())
					.build(), HttpResponse.BodyHandlers.ofString());
			if (!rolling && state.body().contains("\"stage\":\"ROLLING_OUT\"")) {
				rolling = true;
				OUT.printf("(rollout started %.2f s after it was asked for)%n", (System.nanoTime() - asked) / 1e9);
			}
			if (state.body().contains("\"outcome\"")) {
				Thread.sleep(500);
				Files.readAllLines(log, StandardCharsets.UTF_8)
					.stream()
					.filter((line) -> line.startsWith("[" + deployId + "]"))
					.skip(printed)
					.forEach(OUT::println);
				OUT.println("=> " + field(state.body(), "outcome") + " at " + field(state.body(), "endedIn")
						+ (state.body().contains("\"reason\":\"") ? ": " + field(state.body(), "reason") : ""));
				return state.body();
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(deployId + " did not finish within 10 minutes");
	}

	/** A JSON string's escapes as the text they stand for. */
	private static String unescape(String json) {
		Matcher escape = Pattern.compile("\\\\(u([0-9a-fA-F]{4})|.)").matcher(json);
		StringBuilder text = new StringBuilder();
		while (escape.find()) {
			String replacement = (escape.group(2) != null)
					? String.valueOf((char) Integer.parseInt(escape.group(2), 16)) : switch (escape.group(1)) {
						case "n" -> "\n";
						case "t" -> "\t";
						default -> escape.group(1);
					};
			escape.appendReplacement(text, Matcher.quoteReplacement(replacement));
		}
		escape.appendTail(text);
		return text.toString();
	}

	private static String field(String json, String name) {
		Matcher value = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
		return value.find() ? value.group(1) : "?";
	}

}
