package io.stopbob.tagger;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployRequested;
import io.stopbob.events.SlackUser;
import io.stopbob.events.TagCreated;
import io.stopbob.platform.bus.EventPublisher;
import io.stopbob.schemas.EventMother;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import io.stopbob.testkit.ServiceTest;
import io.stopbob.testkit.TopicProbe;
import org.apache.avro.specific.SpecificRecord;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * release-tagger whole, against the embedded broker, with WireMock as GitHub's REST API.
 * Every test class of the module extends this, so they share one Spring context.
 */
@ServiceTest
public abstract class TaggerTest {

	public static final String REPO = "/repos/stop-bob/demo";

	protected static final String WEBHOOK_SECRET = "test-webhook-secret";

	public static final WireMockServer github = new WireMockServer(
			wireMockConfig().dynamicPort().bindAddress("127.0.0.1").globalTemplating(true));

	static {
		github.start();
	}

	@Autowired
	protected EventPublisher publisher;

	@Autowired
	protected io.stopbob.ledger.Ledger ledger;

	@Autowired
	protected EmbeddedKafkaBroker broker;

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void githubProperties(DynamicPropertyRegistry registry) {
		registry.add("stop.github.token", () -> "ghp_test");
		registry.add("stop.tagger.github.api-url", github::baseUrl);
		registry.add("stop.tagger.github.webhook-secret", () -> WEBHOOK_SECRET);
		registry.add("stop.tagger.github.backoff", () -> "20ms");
		registry.add("stop.tagger.github.max-wait", () -> "5s");
		registry.add("stop.tagger.ci.poll-interval", () -> "200ms");
		registry.add("stop.tagger.ci.max-poll-interval", () -> "400ms");
	}

	/**
	 * GitHub for one commit: it exists, nothing is tagged yet, and its checks are as
	 * given.
	 */
	public static void githubWith(String sha, String checkRunsJson) {
		github.stubFor(get(urlPathEqualTo(REPO)).willReturn(okJson("""
				{"id":1296269,"name":"demo","full_name":"stop-bob/demo","private":false,
				 "owner":{"login":"stop-bob","id":1,"type":"Organization"},
				 "html_url":"https://github.com/stop-bob/demo","default_branch":"main"}""")));
		github.stubFor(get(urlPathEqualTo(REPO + "/commits/" + sha)).willReturn(
				okJson("""
						{"sha":"%s","html_url":"https://github.com/stop-bob/demo/commit/%s",
						 "commit":{"message":"Fix the signup form","author":{"name":"Ann","email":"ann@example.com","date":"2026-11-26T10:00:00Z"},
						  "committer":{"name":"GitHub","email":"noreply@github.com","date":"2026-11-26T10:05:00Z"}}}"""
					.formatted(sha, sha))));
		github.stubFor(get(urlPathMatching(REPO + "/git/refs/tags/.*")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
		github.stubFor(post(urlPathEqualTo(REPO + "/git/tags")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(
					"""
							{"sha":"c0ffee{{randomValue length=34 type='HEXADECIMAL' uppercase=false}}","tag":"{{jsonPath request.body '$.tag'}}",
							 "message":"{{jsonPath request.body '$.message'}}",
							 "object":{"sha":"{{jsonPath request.body '$.object'}}","type":"commit"}}""")));
		github.stubFor(post(urlPathEqualTo(REPO + "/git/refs")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(
					"{\"ref\":\"{{jsonPath request.body '$.ref'}}\",\"object\":{\"sha\":\"{{jsonPath request.body '$.sha'}}\",\"type\":\"tag\"}}")));
		github.stubFor(get(urlPathMatching(REPO + "/releases/tags/.*")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"message\":\"Not Found\"}")));
		github.stubFor(post(urlPathEqualTo(REPO + "/releases")).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody(
					"""
							{"id":1,"tag_name":"{{jsonPath request.body '$.tag_name'}}","name":"{{jsonPath request.body '$.name'}}",
							 "html_url":"https://github.com/stop-bob/demo/releases/tag/{{jsonPath request.body '$.tag_name'}}"}""")));
		github.stubFor(get(urlPathEqualTo(REPO + "/commits")).withQueryParam("sha", equalTo(sha))
			.willReturn(
					okJson("""
							[{"sha":"%s","commit":{"message":"Fix the signup form","author":{"name":"Ann","email":"ann@example.com","date":"2026-11-26T10:00:00Z"}}}]"""
						.formatted(sha))));
		github.stubFor(get(urlPathMatching(REPO + "/compare/.*")).willReturn(
				okJson("""
							{"url":"https://api.github.com/repos/stop-bob/demo/compare/a...b","status":"ahead","ahead_by":1,"behind_by":0,"total_commits":1,
						"base_commit":{"sha":"0000000000000000000000000000000000000000","commit":{"message":"Base","author":{"name":"Bob","email":"bob@example.com","date":"2026-11-25T10:00:00Z"}}},
						"merge_base_commit":{"sha":"0000000000000000000000000000000000000000","commit":{"message":"Base","author":{"name":"Bob","email":"bob@example.com","date":"2026-11-25T10:00:00Z"}}},
						"files":[],
							 "commits":[{"sha":"%s","commit":{"message":"Fix the signup form","author":{"name":"Ann","email":"ann@example.com","date":"2026-11-26T10:00:00Z"}}}]}"""
					.formatted(sha))));
		checks(sha, checkRunsJson);
		github.stubFor(get(urlPathEqualTo(REPO + "/statuses/" + sha)).willReturn(okJson("[]")));
	}

	/**
	 * Ends a deploy as the rollout would, and waits until release-tagger has seen it: the
	 * next test's request comes on another topic and could otherwise overtake it.
	 */
	protected void succeed(String deployId, String environment) {
		this.publisher.publish(EventMother.deployFinished(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).build())
			.build());
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> this.ledger.find(deployId).map((deploy) -> deploy.finished()).orElse(false));
	}

	protected static void checks(String sha, String checkRunsJson) {
		github.stubFor(get(urlPathEqualTo(REPO + "/commits/" + sha + "/check-runs"))
			.willReturn(okJson("{\"total_count\":1,\"check_runs\":" + checkRunsJson + "}")));
		tagSuite("{{request.pathSegments.[5]}}");
	}

	/**
	 * GitHub's check suites for the tag asked about: one (id 5, whose runs
	 * {@link #checkRun} are) whose head branch is as given, the tag itself by default.
	 */
	protected static void tagSuite(String headBranch) {
		github.stubFor(get(urlPathMatching(REPO + "/commits/tags/[^/]+/check-suites")).willReturn(okJson("""
				{"total_count":1,"check_suites":[{"id":5,"head_branch":"%s","head_sha":"x","status":"completed",
				 "conclusion":"success","app":{"id":15368,"slug":"github-actions"}}]}""".formatted(headBranch))));
	}

	protected static String checkRun(String name, String status, String conclusion) {
		return """
				{"id":4,"name":"%s","head_sha":"x","status":"%s","conclusion":%s,
				 "html_url":"https://github.com/stop-bob/demo/runs/4","details_url":"https://ci.example/4",
				 "started_at":"2026-11-26T10:00:00Z","check_suite":{"id":5}}""".formatted(name, status,
				(conclusion != null) ? "\"" + conclusion + "\"" : "null");
	}

	protected static String newSha() {
		return (UUID.randomUUID().toString() + UUID.randomUUID().toString()).replace("-", "").substring(0, 40);
	}

	protected static String newDeployId() {
		return "d-test-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** A request by one of the test catalog's production deployers. */
	protected DeployRequested request(String deployId, String environment, String sha) {
		return EventMother.deployRequested(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).build())
			.setSha(sha)
			.setRequestedBy(SlackUser.newBuilder().setId("U0RELEASER").setName("bob.ross").build())
			.build();
	}

	protected TopicProbe probe() {
		return TopicProbe.on(this.broker.getBrokersAsString(), Topics.TAG_CREATED, Topics.BUILD_PASSED,
				Topics.DEPLOY_FINISHED);
	}

	/** The events of one deploy on the probed topics, once there are {@code count}. */
	protected static List<SpecificRecord> eventsOf(TopicProbe probe, String deployId, int count) {
		return probe
			.await(count,
					(record) -> TopicProbe.decodes(record)
							&& Events.meta(TopicProbe.event(record)).getDeployId().equals(deployId),
					Duration.ofSeconds(30))
			.stream()
			.map(TopicProbe::event)
			.toList();
	}

	protected static <T> List<T> only(List<SpecificRecord> events, Class<T> type) {
		return events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	protected static Predicate<SpecificRecord> is(Class<?> type) {
		return type::isInstance;
	}

	protected static final Class<TagCreated> TAG = TagCreated.class;

	protected static final Class<BuildPassed> BUILT = BuildPassed.class;

	protected static final Class<DeployFinished> FINISHED = DeployFinished.class;

}
