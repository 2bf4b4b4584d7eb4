package io.stopbob.system;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stopbob.cli.Stack;
import io.stopbob.platform.edge.Callers;

/**
 * A scratch {@link Stack} (the one {@code bin/stop} runs) for a system test: its own
 * folder under {@code target/}, free loopback ports, two partitions a topic, quick polls
 * and short waits between attempts in an outage, and the deploy API a test drives it
 * through. Every wait has a deadline.
 */
final class SystemStack {

	static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	/** The token of the API's own caller, {@code api}. */
	static final String TOKEN = "system-test-token";

	/** People the tests act as through the API, each with a token of their own. */
	static final List<String> PEOPLE = List.of("U0ANN", "U0EVE", "U0BOB");

	final Path home;

	final Stack stack;

	private final PrintStream out;

	/** What the stack's Slack app signs with. */
	private String signingSecret = "local-signing-secret";

	SystemStack() throws IOException {
		this(1);
	}

	/** A stack whose broker is a KRaft cluster of this many nodes. */
	SystemStack(int brokers) throws IOException {
		this.home = Files.createTempDirectory(Files.createDirectories(ROOT.resolve("system-test/target")), "stack-");
		this.stack = Stack.scratch(ROOT, this.home, brokers);
		this.out = new PrintStream(new FileOutputStream(this.home.resolve("stack.log").toFile(), true), true,
				StandardCharsets.UTF_8);
	}

	/**
	 * The bus takes SASL over TLS with ACLs; each service signs in as itself. Before
	 * {@link #start}.
	 */
	SystemStack secured() {
		this.stack.secured();
		return this;
	}

	/**
	 * A catalog entry: the app's production on CodeDeploy, deployed by U0ANN, with a
	 * required {@code build} check.
	 */
	static String codeDeployApp(String app) {
		return codeDeployApp(app, "[U0ANN]", "[build]", "");
	}

	/**
	 * A catalog entry of the app's production on CodeDeploy with these deployers and
	 * required checks (YAML lists), and any more lines of the environment.
	 */
	static String codeDeployApp(String app, String deployers, String requiredChecks, String more) {
		return """
				  %s:
				    repository: stop-bob/%s
				    deploy-channel: C0DEPLOYS
				    changelog-channel: C0CHANGES
				    environments:
				      production:
				        tag-prefix: production-
				        deployers: { users: %s }
				        ci: { required-checks: %s, timeout: 5m }
				        rollout:
				          backend: codedeploy
				          codedeploy: { application: %s, deployment-group: production }
				""".formatted(app, app, deployers, requiredChecks, app) + more;
	}

	/** Starts the broker and the services with these arguments; waits until ready. */
	SystemStack start(Path catalog, List<String> args, Map<String, String> env) throws Exception {
		// Outages are waited out as in production, but tried again at least every 5 s, so
		// a
		// test sees the end of one soon after it ends.
		List<String> all = new ArrayList<>(List.of("--stop.bus.partitions=2", "--stop.tagger.ci.poll-interval=500ms",
				"--stop.rollout.poll-interval=500ms", "--stop.bus.lanes.max-wait=5s"));
		all.addAll(args);
		Map<String, String> withToken = new java.util.HashMap<>(env);
		withToken.put("STOP_API_TOKEN", TOKEN);
		withToken.put("STOP_API_USER", "api");
		withToken.put("STOP_API_CALLERS_FILE", callersFile().toString());
		this.signingSecret = withToken.getOrDefault("SLACK_SIGNING_SECRET", this.signingSecret);
		this.stack.with(catalog, all, withToken).up(this.out);
		return this;
	}

	/** The named callers, as an operator writes them: names and SHA-256 of tokens. */
	private Path callersFile() throws IOException {
		StringBuilder lines = new StringBuilder("# caller sha256 of its token\n");
		for (String person : PEOPLE) {
			lines.append(person).append(' ').append(Callers.hashOf(tokenOf(person))).append('\n');
		}
		Path file = this.home.resolve("callers");
		Files.writeString(file, lines);
		return file;
	}

	/** The API token of one of {@link #PEOPLE}; null: the API's own. */
	static String tokenOf(String person) {
		return (person != null) ? "token-of-" + person : TOKEN;
	}

	void stop() throws Exception {
		this.stack.down(this.out);
	}

	/** Stops one service the way an operator would (it leaves its consumer group). */
	void stop(String service) throws Exception {
		this.stack.stop(service, this.out);
	}

	void kill(String service) throws Exception {
		this.stack.kill(service);
	}

	/** {@code bin/kafka-broker start|stop|kill <node>} for this stack's broker. */
	void broker(String... command) throws Exception {
		this.stack.broker(this.out, command);
	}

	/**
	 * Starts the {@code number}-th instance of the service and waits until ready; its
	 * name.
	 */
	String startInstance(String service, int number) throws Exception {
		String instance = this.stack.start(service, number, this.out);
		this.stack.awaitReady(instance, Duration.ofSeconds(120));
		return instance;
	}

	void restart(String service) throws Exception {
		this.stack.start(service, this.out);
		this.stack.awaitReady(service, Duration.ofSeconds(120));
	}

	String url(String service, String path) {
		return this.stack.url(service, path);
	}

	String logOf(String service) throws IOException {
		return Files.readString(this.stack.log(service), StandardCharsets.UTF_8);
	}

	/**
	 * {@code POST /api/deploys} with the user's own token (null: the API's caller); the
	 * answer as it came.
	 */
	HttpResponse<String> request(String app, String environment, String sha, String user) throws Exception {
		return api(tokenOf(user),
				"{\"app\":\"" + app + "\",\"environment\":\"" + environment + "\",\"sha\":\"" + sha + "\"}");
	}

	/** {@code POST /api/deploys} of this body with this token, as a script would. */
	HttpResponse<String> api(String token, String body) throws Exception {
		return api("slack-ingress", token, body);
	}

	/** {@code POST /api/deploys} to this instance of slack-ingress. */
	HttpResponse<String> api(String instance, String token, String body) throws Exception {
		return Stack.HTTP.send(HttpRequest.newBuilder(URI.create(url(instance, "/api/deploys")))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Asks for a deploy, waiting while the target is busy with an earlier one; its id.
	 */
	String deploy(String app, String environment, String sha, String user) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			HttpResponse<String> response = request(app, environment, sha, user);
			if (response.statusCode() == 202) {
				return deployId(response.body());
			}
			if (response.statusCode() != 409 || System.nanoTime() > deadline) {
				throw new AssertionError("deploy refused: " + response.statusCode() + " " + response.body());
			}
			Thread.sleep(500);
		}
	}

	/**
	 * {@code POST /api/deploys} of kind rollback: back to the target's last good release.
	 */
	HttpResponse<String> rollback(String app, String environment) throws Exception {
		return rollback(app, environment, null);
	}

	/** A rollback asked by this user (null: the API's own user). */
	HttpResponse<String> rollback(String app, String environment, String user) throws Exception {
		return api(tokenOf(user),
				"{\"app\":\"" + app + "\",\"environment\":\"" + environment + "\",\"kind\":\"rollback\"}");
	}

	/** Types {@code /stop <text>} in Slack as the user, signed; the answer's JSON. */
	String slash(String userId, String text) throws Exception {
		return this.stack.slash(userId, userId, text).body();
	}

	/** Types {@code /stop <text>} as the user into this instance of slack-ingress. */
	String slash(String instance, String userId, String text) throws Exception {
		String body = "command=%2Fstop&team_id=T0LOCAL&channel_id=C0LOCAL&user_id=" + userId + "&user_name=" + userId
				+ "&trigger_id=local." + System.nanoTime() + "&text="
				+ java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
		return signed(instance, body).body();
	}

	/**
	 * Presses a button of a thread message (its action id and value) as the user, on this
	 * instance of slack-ingress, as Slack's interactive payload; answered to
	 * {@code responseUrl}.
	 */
	HttpResponse<String> press(String instance, String userId, String actionId, String value, String responseUrl)
			throws Exception {
		String payload = """
				{"type":"block_actions","team":{"id":"T0LOCAL","domain":"local"},
				 "user":{"id":"%s","username":"%s","name":"%s","team_id":"T0LOCAL"},"api_app_id":"A0LOCAL",
				 "token":"unused","trigger_id":"local.%d","response_url":"%s",
				 "container":{"type":"message","message_ts":"1700000000.000200","channel_id":"C0DEPLOYS"},
				 "channel":{"id":"C0DEPLOYS","name":"deploys"},
				 "actions":[{"type":"button","action_id":"%s","block_id":"actions","value":"%s",
				  "action_ts":"1700000001.000100"}]}""".formatted(userId, userId, userId, System.nanoTime(),
				responseUrl, actionId, value);
		return signed(instance, "payload=" + java.net.URLEncoder.encode(payload, StandardCharsets.UTF_8));
	}

	private HttpResponse<String> signed(String instance, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(instance, "/slack/events")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		new io.stopbob.slack.SlackRequestSigner(this.signingSecret).headers(body, java.time.Instant.now())
			.forEach(request::header);
		return Stack.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A GET of this instance's page or API, as the API's caller. */
	HttpResponse<String> get(String instance, String path) throws Exception {
		return Stack.HTTP.send(HttpRequest.newBuilder(URI.create(url(instance, path)))
			.header("Authorization", "Bearer " + TOKEN)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The deploy's JSON as the API shows it now. */
	String show(String deployId) throws Exception {
		return Stack.HTTP
			.send(HttpRequest.newBuilder(URI.create(url("slack-ingress", "/api/deploys/" + deployId)))
				.header("Authorization", "Bearer " + TOKEN)
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	static String deployId(String body) {
		return body.replaceAll("(?s).*\"deployId\":\"([^\"]+)\".*", "$1");
	}

	/** The deploy's JSON once it has an outcome. */
	String awaitOutcome(String deployId, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			try {
				last = Stack.HTTP
					.send(HttpRequest.newBuilder(URI.create(url("slack-ingress", "/api/deploys/" + deployId)))
						.header("Authorization", "Bearer " + TOKEN)
						.build(), HttpResponse.BodyHandlers.ofString())
					.body();
				if (last.contains("\"outcome\"")) {
					return last;
				}
			}
			catch (IOException restarting) {
				// slack-ingress may be the process a fault case restarts.
			}
			Thread.sleep(250);
		}
		throw new AssertionError(deployId + " did not finish in " + timeout + "; last seen: " + last);
	}

	/** A request to {@code /slack/events} with these headers, as Slack's would come. */
	HttpResponse<String> slackEvents(String body, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("slack-ingress", "/slack/events")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return Stack.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A new commit SHA. */
	static String sha() {
		byte[] bytes = new byte[20];
		java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
		return java.util.HexFormat.of().formatHex(bytes);
	}

}
