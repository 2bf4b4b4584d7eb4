package io.stopbob.ingress;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.awaitility.Awaitility;
import io.stopbob.events.DeployRequested;
import io.stopbob.ledger.Ledger;
import io.stopbob.platform.bus.EventPublisher;
import io.stopbob.platform.edge.Callers;
import io.stopbob.schemas.EventMother;
import io.stopbob.schemas.Topics;
import io.stopbob.slack.SlackRequestSigner;
import io.stopbob.testkit.ServiceTest;
import io.stopbob.testkit.TopicProbe;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * slack-ingress whole, against the embedded broker, with WireMock as the Slack Web API.
 * Every test class of the module extends this, so they share one Spring context.
 */
@ServiceTest
public abstract class IngressTest {

	protected static final String SIGNING_SECRET = "test-signing-secret";

	protected static final String API_TOKEN = ServiceTest.TOKEN;

	/** API callers besides {@code api}, each with its own token ({@link #tokenOf}). */
	protected static final List<String> CALLERS = List.of("U0RELEASER", "U0STRANGER", "U0BOT");

	protected static final WireMockServer slack = new WireMockServer(
			wireMockConfig().dynamicPort().bindAddress("127.0.0.1").globalTemplating(true));

	static {
		slack.start();
		stubSlack();
	}

	private static final HttpClient http = HttpClient.newHttpClient();

	/**
	 * Slack gives every command its own trigger, so no two requests are the same bytes.
	 */
	private static final java.util.concurrent.atomic.AtomicLong triggers = new java.util.concurrent.atomic.AtomicLong(
			0x8088930838L);

	@LocalServerPort
	protected int port;

	@Autowired
	protected EventPublisher publisher;

	@Autowired
	protected EmbeddedKafkaBroker broker;

	@Autowired
	protected Ledger ledger;

	@DynamicPropertySource
	static void slackProperties(DynamicPropertyRegistry registry) {
		registry.add("stop.slack.bot-token", () -> "xoxb-test");
		registry.add("stop.slack.api-url", () -> slack.baseUrl() + "/api/");
		registry.add("stop.slack.signing-secret", () -> SIGNING_SECRET);
		registry.add("stop.slack.retry.backoff", () -> "20ms");
		for (String caller : CALLERS) {
			registry.add("stop.edge.callers[" + caller + "]", () -> Callers.hashOf(tokenOf(caller)));
		}
	}

	/** The token of one of {@link #CALLERS}. */
	protected static String tokenOf(String caller) {
		return "token-of-" + caller;
	}

	/**
	 * Slack as its Web API answers: every post gets a fresh ts in the channel it was sent
	 * to.
	 */
	protected static void stubSlack() {
		slack.resetAll();
		slack.stubFor(post("/api/auth.test")
			.willReturn(okJson("{\"ok\":true,\"url\":\"https://stop.slack.com/\",\"team\":\"StoP\",\"user\":\"bob\","
					+ "\"team_id\":\"T0STOP\",\"user_id\":\"U0BOB\",\"bot_id\":\"B0BOB\"}")));
		slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":true,\"channel\":\"C0DEPLOYS\","
				+ "\"ts\":\"{{now format='epoch'}}.{{randomValue length=6 type='NUMERIC'}}\"}")));
		slack.stubFor(post("/api/chat.update").willReturn(okJson("{\"ok\":true}")));
		slack.stubFor(post("/api/views.open").willReturn(okJson("{\"ok\":true}")));
		slack.stubFor(post("/api/conversations.replies").willReturn(okJson("{\"ok\":true,\"messages\":[]}")));
		slack.stubFor(post("/api/conversations.history").willReturn(okJson("{\"ok\":true,\"messages\":[]}")));
		slack.stubFor(
				post("/api/conversations.open").willReturn(okJson("{\"ok\":true,\"channel\":{\"id\":\"D0DIRECT\"}}")));
		slack.stubFor(post(urlPathMatching("/(commands|actions)/respond.*")).willReturn(okJson("{\"ok\":true}")));
		slack.stubFor(post("/api/usergroups.users.list").willReturn(okJson("{\"ok\":true,\"users\":[\"U0GROUPED\"]}")));
	}

	/** POSTs a form to /slack/events signed as Slack would sign it at {@code at}. */
	protected HttpResponse<String> slackRequest(String body, Instant at) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/slack/events"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		new SlackRequestSigner(SIGNING_SECRET).headers(body, at).forEach(request::header);
		return send(request.build());
	}

	/**
	 * A response body as a person reads it: Bolt's JSON escapes quotes as {@code \u0027}.
	 */
	protected static String text(HttpResponse<String> response) {
		return readable(response.body());
	}

	/** JSON from Bolt as a person reads it. */
	protected static String readable(String json) {
		return json.replace("\\u0027", "'")
			.replace("\\u003c", "<")
			.replace("\\u003e", ">")
			.replace("\\u003d", "=")
			.replace("\\u0026", "&");
	}

	protected HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	protected static String slashCommand(String userId, String userName, String text) {
		Map<String, String> fields = new java.util.LinkedHashMap<>();
		fields.put("token", "legacy");
		fields.put("team_id", "T0STOP");
		fields.put("team_domain", "stop");
		fields.put("channel_id", "C0CHAT");
		fields.put("channel_name", "chat");
		fields.put("user_id", userId);
		fields.put("user_name", userName);
		fields.put("command", "/stop");
		fields.put("text", text);
		fields.put("api_app_id", "A0STOP");
		fields.put("response_url", slack.baseUrl() + "/commands/respond");
		fields.put("trigger_id", "13345224609.738474920." + Long.toHexString(triggers.incrementAndGet()));
		return form(fields);
	}

	/**
	 * Submits a modal as Slack does: {@code values} is the JSON of the view's state
	 * values.
	 */
	protected HttpResponse<String> submitView(String userId, String userName, String callbackId, String metadata,
			String title, String values) {
		String payload = """
				{"type":"view_submission","team":{"id":"T0STOP","domain":"stop"},
				 "user":{"id":"%s","username":"%s","name":"%s","team_id":"T0STOP"},
				 "api_app_id":"A0STOP","token":"legacy","trigger_id":"1337.42.abcd",
				 "view":{"id":"V0MODAL","team_id":"T0STOP","type":"modal","callback_id":"%s",
				  "private_metadata":"%s","hash":"156772938.1827394",
				  "title":{"type":"plain_text","text":"%s"},
				  "state":{"values":%s}},
				 "response_urls":[]}
				""".formatted(userId, userName, userName, callbackId, metadata, title, values);
		return slackRequest(form(Map.of("payload", payload)), Instant.now());
	}

	protected static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	/** The calls Slack received for one method whose body mentions {@code text}. */
	protected static List<LoggedRequest> slackCalls(String method, String text) {
		return slack.findAll(postRequestedFor(urlEqualTo("/api/" + method)).withRequestBody(containing(text)));
	}

	protected static String param(LoggedRequest request, String name) {
		return request.formParameters().get(name).firstValue();
	}

	/** Ends a deploy as the rollout would, so its target is free for the next test. */
	protected void finish(String deployId, String app, String environment) {
		this.publisher.publish(EventMother.deployFinished(deployId)
			.setMeta(EventMother.meta(deployId).setApp(app).setEnvironment(environment).build())
			.build());
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.ledger.find(deployId).map((deploy) -> deploy.finished()).orElse(false));
	}

	/**
	 * The DeployRequested events on the topic matching the filter, waiting for
	 * {@code count}.
	 */
	protected static List<DeployRequested> requested(TopicProbe probe, int count, Predicate<DeployRequested> filter) {
		return probe
			.await(count,
					(record) -> TopicProbe.decodes(record)
							&& TopicProbe.event(record) instanceof DeployRequested requested && filter.test(requested),
					Duration.ofSeconds(20))
			.stream()
			.map((record) -> (DeployRequested) TopicProbe.event(record))
			.toList();
	}

	protected TopicProbe probe(String... topics) {
		return TopicProbe.on(this.broker.getBrokersAsString(),
				(topics.length > 0) ? topics : new String[] { Topics.DEPLOY_REQUESTED });
	}

}
