package io.stopbob.system;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.stopbob.cli.Kafka;
import io.stopbob.cli.Stack;
import io.stopbob.cli.stubs.OutsideStubs;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import io.stopbob.slack.SlackRequestSigner;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.stopbob.system.SystemStack.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a hostile caller tries against the real processes, on a secured bus (SASL over
 * TLS, one user per service, ACLs) with real secrets: forged, stale, future and replayed
 * Slack requests, forged presses and approvals, API tokens acting as someone else, a
 * rollback to a commit that never shipped, producers without credentials or without the
 * right to a topic, an event chain the pipeline never made, unauthenticated dashboards,
 * oversized bodies and a CI gate fed by another build. Each case is refused with a clear
 * answer and publishes nothing: no request on the log, no build passed, no CodeDeploy
 * deployment. Ends with {@code security: tried=N refused=N published=0}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuritySuiteSystemTest {

	private static final String SECRET = OutsideStubs.serviceEnv().get("SLACK_SIGNING_SECRET");

	private static OutsideStubs outside;

	private static SystemStack stack;

	private static TopicWatch topics;

	private static int tried;

	private static int refused;

	private static long published;

	@BeforeAll
	static void startTheSecuredStack() throws Exception {
		outside = OutsideStubs.journaled();
		stack = new SystemStack().secured();
		Path catalog = Files.writeString(stack.home.resolve("catalog.yml"),
				"apps:\n" + SystemStack.codeDeployApp("secure") + SystemStack.codeDeployApp("chain")
						+ SystemStack.codeDeployApp("approved", "[U0ANN, U0BOB]", "[build]",
								"        approval: { required: true, expires-after: 20m }\n")
						+ SystemStack.codeDeployApp("gated", "[U0ANN]", "[]", ""));
		stack.start(catalog, outside.serviceArgs(), OutsideStubs.serviceEnv());
		topics = new TopicWatch(stack.stack.kafkaAs("admin"));
	}

	@AfterAll
	static void summary() throws Exception {
		try {
			System.out.printf("security: tried=%d refused=%d published=%d%n", tried, refused, published);
			assertThat(published).as("records and deployments the hostile cases caused").isZero();
			assertThat(refused).isEqualTo(tried);
		}
		finally {
			if (topics != null) {
				topics.close();
			}
			if (stack != null) {
				stack.stop();
			}
			if (outside != null) {
				outside.close();
			}
		}
	}

	@Test
	@Order(1)
	void aWrongSignatureAStaleOrFutureTimestampAndTheLocalSecretAreRefused() throws Exception {
		String command = command("U0ANN", "deploy secure");
		hostile("wrong signing secret",
				() -> assertRefused(slack(command, Instant.now(), "wrong-secret"), 401, "invalid request signature"));
		hostile("timestamp 10 minutes old", () -> assertRefused(slack(command, Instant.now().minusSeconds(600), SECRET),
				401, "invalid request signature"));
		hostile("timestamp 10 minutes ahead",
				() -> assertRefused(slack(command, Instant.now().plusSeconds(600), SECRET), 401,
						"request timestamp more than 5 minutes from now"));
		hostile("signed with the public local-signing-secret",
				() -> assertRefused(
						slack(command("U0ANN", "unlock secure production"), Instant.now(), "local-signing-secret"), 401,
						"invalid request signature"));
	}

	@Test
	@Order(2)
	void oversizedAndOverlongRequestsAreRefusedBeforeTheyAreRead() throws Exception {
		hostile("1 MB Slack body",
				() -> assertRefused(slack("x".repeat(1024 * 1024), Instant.now(), SECRET), 413, "request body"));
		hostile("10,000-character command", () -> {
			HttpResponse<String> longCommand = slack(
					"command=%2Fstop&text=" + "a".repeat(10_000) + "&user_id=U0ANN&channel_id=C0CHAT&team_id=T0",
					Instant.now(), SECRET);
			assertThat(longCommand.statusCode()).isEqualTo(200);
			assertThat(longCommand.body()).contains("10000 characters long; /stop takes at most");
		});
		hostile("10 MB GitHub webhook", () -> {
			String answer = postDeclaring(stack.url("release-tagger", "/webhooks/github"), 10 * 1024 * 1024);
			assertThat(answer).startsWith("HTTP/1.1 413").contains("at most 262144 are read");
		});
		hostile("forged GitHub webhook", () -> {
			String webhook = "{\"action\":\"completed\",\"check_suite\":{\"head_sha\":\"" + sha() + "\"}}";
			HttpResponse<String> forged = Stack.HTTP
				.send(HttpRequest.newBuilder(URI.create(stack.url("release-tagger", "/webhooks/github")))
					.header("X-GitHub-Event", "check_suite")
					.header("X-Hub-Signature-256", "sha256=" + hmac("not-the-secret", webhook))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(webhook))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertRefused(forged, 401, "invalid signature");
		});
	}

	@Test
	@Order(3)
	void aSignedRequestIsAcceptedOnceOnAnyInstanceAndAfterARestart() throws Exception {
		String help = command("U0ANN", "help");
		Map<String, String> signed = new SlackRequestSigner(SECRET).headers(help, Instant.now());
		assertThat(stack.slackEvents(help, signed).statusCode()).isEqualTo(200);
		hostile("the same signed request again",
				() -> assertRefused(stack.slackEvents(help, signed), 401, "replayed request"));
		String second = stack.stack.start("slack-ingress", 2, System.out);
		try {
			stack.stack.awaitReady(second, Duration.ofSeconds(120));
			hostile("replayed to a second instance",
					() -> assertRefused(send(second, help, signed), 401, "replayed request"));
		}
		finally {
			stack.stack.stop(second, System.out);
		}
		stack.stop("slack-ingress");
		stack.restart("slack-ingress");
		hostile("replayed after a restart",
				() -> assertRefused(stack.slackEvents(help, signed), 401, "replayed request"));
	}

	@Test
	@Order(4)
	void approvalsCannotBeForgedOrGivenByPeopleWhoMayNotDeploy() throws Exception {
		HttpResponse<String> held = stack.request("approved", "production", sha(), "U0ANN");
		assertThat(held.statusCode()).as(held.body()).isEqualTo(202);
		assertThat(held.body()).contains("awaitingApprovalUntil");
		String deployId = SystemStack.deployId(held.body());

		hostile("an Approve press forged for another user", () -> {
			String press = approve(deployId, "U0BOB", "/respond/forged");
			assertRefused(slack(press, Instant.now(), "local-signing-secret"), 401, "invalid request signature");
		});
		hostile("an Approve press by someone who may not deploy", () -> {
			String press = approve(deployId, "U0EVE", "/respond/eve");
			assertThat(slack(press, Instant.now(), SECRET).statusCode()).isEqualTo(200);
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(outside.served())
					.anySatisfy((event) -> assertThat(event.getRequest().getUrl()).isEqualTo("/respond/eve"))
					.filteredOn((event) -> event.getRequest().getUrl().equals("/respond/eve"))
					.allSatisfy((event) -> assertThat(event.getRequest().getBodyAsString())
						.contains("You may not deploy approved to production, so you cannot decide on deploys there")));
		});
	}

	@Test
	@Order(5)
	void theApiKnowsWhoCallsAndRollsBackOnlyToWhatShipped() throws Exception {
		hostile("an API token acting as someone else",
				() -> assertRefused(
						stack.api(SystemStack.tokenOf("U0EVE"),
								"{\"app\":\"secure\",\"environment\":\"production\",\"sha\":\"" + sha()
										+ "\",\"user\":\"U0ANN\"}"),
						403, "this token is U0EVE's: it acts as U0EVE and cannot act as U0ANN"));
		hostile("an API caller who is not a deployer",
				() -> assertRefused(stack.request("secure", "production", sha(), "U0EVE"), 403,
						"not on the list of people who may deploy secure to production"));
		hostile("an unknown API token",
				() -> assertRefused(stack.api("guessed-token", "{}"), 401, "missing or wrong credentials"));
		hostile("an API rollback to a SHA that never succeeded",
				() -> assertRefused(
						stack.api(SystemStack.tokenOf("U0ANN"),
								"{\"app\":\"secure\",\"environment\":\"production\",\"sha\":\"" + sha()
										+ "\",\"kind\":\"rollback\"}"),
						409, "was never released successfully to secure/production"));
		hostile("a SHA with shell in it",
				() -> assertRefused(stack.request("secure", "production", "$(reboot)", "U0ANN"), 400,
						"7 to 40 hex characters"));
	}

	@Test
	@Order(6)
	void theDashboardItsStreamAndHealthDetailsNeedACaller() throws Exception {
		for (String path : new String[] { "/", "/dashboard/events" }) {
			hostile("dashboard " + path + " without credentials", () -> {
				HttpResponse<String> anonymous = Stack.HTTP
					.send(HttpRequest.newBuilder(URI.create(stack.url("slack-ingress", path)))
						.header("Accept", "text/html,text/event-stream")
						.timeout(Duration.ofSeconds(10))
						.build(), HttpResponse.BodyHandlers.ofString());
				assertRefused(anonymous, 401, "missing or wrong credentials");
				assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
					.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Basic realm=\"StoP Bob\""));
			});
		}
		HttpResponse<String> health = Stack.HTTP.send(
				HttpRequest.newBuilder(URI.create(stack.url("rollout-service", "/actuator/health"))).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("clusterId");
	}

	@Test
	@Order(7)
	void theBusTakesNoOneWithoutCredentialsAndEachServiceOnlyOnItsOwnTopics() throws Exception {
		byte[] request = EventCodec.standard()
			.encode(EventMapping.toAvro(io.stopbob.cli.bench.SampleEvents
				.deploy("d-forged", new Target("secure", "production"), sha(), Instant.now())
				.get(0)));
		hostile("a producer without credentials",
				() -> assertThatThrownBy(
						() -> send(new Kafka(stack.stack.bootstrapServers()), Topics.DEPLOY_REQUESTED, request))
					.hasStackTraceContaining("TimeoutException"));
		hostile("a producer with a wrong password", () -> {
			Map<String, Object> wrong = new java.util.HashMap<>(stack.stack.kafkaAs("release-tagger").config());
			wrong.put("sasl.jaas.config",
					io.stopbob.platform.bus.BusCredentials.jaas("release-tagger", "not-the-password"));
			assertThatThrownBy(
					() -> send(new Kafka(stack.stack.bootstrapServers(), wrong), Topics.DEPLOY_REQUESTED, request))
				.hasStackTraceContaining(SaslAuthenticationException.class.getSimpleName());
		});
		hostile("release-tagger writing deploy-requested",
				() -> assertThatThrownBy(
						() -> send(stack.stack.kafkaAs("release-tagger"), Topics.DEPLOY_REQUESTED, request))
					.hasStackTraceContaining(TopicAuthorizationException.class.getSimpleName()));
		hostile("changelog-poster writing build-passed",
				() -> assertThatThrownBy(
						() -> send(stack.stack.kafkaAs("changelog-poster"), Topics.BUILD_PASSED, request))
					.hasStackTraceContaining(TopicAuthorizationException.class.getSimpleName()));
	}

	@Test
	@Order(8)
	void aBuildPassedWithNoRequestOrTagBehindItGoesToTheDeadLetterTopic() throws Exception {
		String deployId = "d-forged-build";
		hostile("a BuildPassed with no request", () -> {
			SpecificRecord built = EventMapping.toAvro(new Built(
					new Meta("forged-1", deployId, new Target("chain", "production"), Instant.now(), "release-tagger"),
					sha(), "production-forged", "github-checks", java.util.List.of("build"), null, false));
			// Written with release-tagger's own credentials: the bus lets it write
			// builds.
			send(stack.stack.kafkaAs("release-tagger"), Topics.BUILD_PASSED, EventCodec.standard().encode(built),
					Events.key(built));
			Awaitility.await()
				.atMost(Duration.ofSeconds(90))
				.untilAsserted(() -> assertThat(topics.on(Topics.deadLetter(Topics.BUILD_PASSED)))
					.anySatisfy((seen) -> assertThat(seen.reason()).contains("build-passed for deploy " + deployId
							+ " of chain/production, which was never requested")));
		}, new AtomicReference<>(), deployId);
	}

	@Test
	@Order(9)
	void theCiGateWaitsForTheTagsOwnBuildNotABranchBuildOfTheSameCommit() throws Exception {
		String sha = sha();
		// The commit built green on main, long before any tag: a check suite for main and
		// a status from November.
		outside.server()
			.stubFor(get(urlPathMatching("/repos/stop-bob/gated/commits/tags/[^/]+/check-suites")).atPriority(1)
				.willReturn(OutsideStubs.suiteOf("main")));
		outside.server()
			.stubFor(get(urlPathEqualTo("/repos/stop-bob/gated/statuses/" + sha)).atPriority(1).willReturn(okJson("""
					[{"id":1,"state":"success","context":"ci/circleci: build","target_url":"https://circleci.com/1",
					  "created_at":"2026-11-01T10:00:00Z","updated_at":"2026-11-01T10:00:00Z"}]""")));
		AtomicReference<String> deployId = new AtomicReference<>();
		hostile("a branch build's green checks for a freshly tagged SHA", () -> {
			HttpResponse<String> accepted = stack.request("gated", "production", sha, "U0ANN");
			assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
			deployId.set(SystemStack.deployId(accepted.body()));
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.until(() -> topics.on(Topics.TAG_CREATED).anyMatch((seen) -> deployId.get().equals(seen.deployId())));
			// Several CI polls (every 500 ms) go by: the gate keeps waiting.
			Thread.sleep(5_000);
			assertThat(stack.show(deployId.get())).contains("\"stage\":\"TAGGED\"");
		}, deployId, null);
		// The tag's own build reports: the deploy goes on, on the secured bus, to its
		// end.
		outside.server()
			.stubFor(get(urlPathMatching("/repos/stop-bob/gated/commits/tags/[^/]+/check-suites")).atPriority(1)
				.willReturn(OutsideStubs.tagSuite()));
		assertThat(stack.awaitOutcome(deployId.get(), Duration.ofSeconds(120))).contains("\"outcome\":\"SUCCEEDED\"");
	}

	/** A hostile case: counted, and whatever it caused on the log or at CodeDeploy. */
	private static void hostile(String name, ThrowingRunnable body) throws Exception {
		hostile(name, body, new AtomicReference<>(), null);
	}

	/**
	 * A hostile case around a request made on purpose ({@code requested}, once known),
	 * whose request is expected on the log but nothing after it; or around records the
	 * attacker writes to the bus itself ({@code forged}, a deploy id), which are not what
	 * the system published.
	 */
	private static void hostile(String name, ThrowingRunnable body, AtomicReference<String> requested, String forged)
			throws Exception {
		tried++;
		long before = caused(requested.get(), forged);
		body.run();
		// What a refused request might still have set off would show by now.
		Thread.sleep(500);
		long caused = caused(requested.get(), forged) - before;
		published += caused;
		assertThat(caused).as(name + ": published or deployed").isZero();
		refused++;
		System.out.println("security: refused " + name);
	}

	/**
	 * Requests (but the one asked for on purpose) and builds on the log, and CodeDeploy
	 * deployments.
	 */
	private static long caused(String requested, String forged) {
		long requests = topics.on(Topics.DEPLOY_REQUESTED)
			.filter((seen) -> !java.util.Objects.equals(requested, seen.deployId()))
			.filter((seen) -> !java.util.Objects.equals(forged, seen.deployId()))
			.count();
		long builds = topics.on(Topics.BUILD_PASSED)
			.filter((seen) -> !java.util.Objects.equals(forged, seen.deployId()))
			.count();
		long deployments = outside.served()
			.stream()
			.filter((event) -> "CodeDeploy_20141006.CreateDeployment"
				.equals(event.getRequest().getHeader("X-Amz-Target")))
			.count();
		return requests + builds + deployments;
	}

	/**
	 * A POST declaring a body of {@code length} bytes, sent as a client streams it: the
	 * headers, then the body while the answer is read. The server answers from the
	 * headers and closes; the answer as text.
	 */
	private static String postDeclaring(String url, int length) throws Exception {
		URI uri = URI.create(url);
		try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(10_000);
			var out = socket.getOutputStream();
			out.write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: "
					+ "application/json\r\nX-GitHub-Event: check_suite\r\nContent-Length: " + length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Thread body = new Thread(() -> {
				try {
					byte[] chunk = new byte[64 * 1024];
					for (int sent = 0; sent < length; sent += chunk.length) {
						out.write(chunk);
					}
				}
				catch (java.io.IOException closedByTheServer) {
					// refused: the server stopped reading
				}
			});
			body.setDaemon(true);
			body.start();
			byte[] answer = new byte[4096];
			int read = socket.getInputStream().read(answer);
			return (read > 0) ? new String(answer, 0, read, StandardCharsets.UTF_8) : "";
		}
	}

	private static void assertRefused(HttpResponse<String> response, int status, String says) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.body()).contains(says);
	}

	private static String command(String user, String text) {
		return "command=%2Fstop&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8) + "&user_id=" + user
				+ "&channel_id=C0CHAT&team_id=T0&trigger_id=1.2." + System.nanoTime() + "&response_url="
				+ URLEncoder.encode(outside.baseUrl() + "/respond", StandardCharsets.UTF_8);
	}

	/** An Approve press on the deploy's request, as Slack posts it. */
	private static String approve(String deployId, String user, String respondPath) {
		String payload = """
				{"type":"block_actions","team":{"id":"T0","domain":"stop"},
				 "user":{"id":"%s","username":"%s","name":"%s","team_id":"T0"},
				 "api_app_id":"A0STOP","token":"legacy","trigger_id":"1.2.%d",
				 "container":{"type":"message","message_ts":"1.1","channel_id":"C0DEPLOYS","is_ephemeral":false},
				 "channel":{"id":"C0DEPLOYS","name":"deploys"},"response_url":"%s%s",
				 "actions":[{"action_id":"stop_approve","block_id":"decide","value":"%s","type":"button",
				  "action_ts":"1.2"}]}""".formatted(user, user, user, System.nanoTime(), outside.baseUrl(), respondPath,
				deployId);
		return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
	}

	private static HttpResponse<String> slack(String body, Instant at, String secret) throws Exception {
		return stack.slackEvents(body, new SlackRequestSigner(secret).headers(body, at));
	}

	private static HttpResponse<String> send(String instance, String body, Map<String, String> headers)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.url(instance, "/slack/events")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return Stack.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void send(Kafka kafka, String topic, byte[] value) throws Exception {
		send(kafka, topic, value, "secure/production");
	}

	private static void send(Kafka kafka, String topic, byte[] value, String key) throws Exception {
		Map<String, Object> config = kafka.config();
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
		}
	}

	private static String hmac(String secret, String body) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
	}

	@FunctionalInterface
	interface ThrowingRunnable {

		void run() throws Exception;

	}

}
