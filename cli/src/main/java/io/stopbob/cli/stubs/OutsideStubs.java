package io.stopbob.cli.stubs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * Slack's Web API, GitHub's REST API and CodeDeploy's JSON protocol on one loopback port,
 * answering at once and for any repository, SHA and deployment: what the services' real
 * adapters call in a deploy that goes well. Tests add their own stubs over these (a
 * fault, a slow answer) and count the calls; the pipeline benchmark runs without a
 * request journal.
 */
public final class OutsideStubs implements AutoCloseable {

	/** CodeDeploy's JSON protocol target prefix. */
	public static final String CODEDEPLOY = "CodeDeploy_20141006.";

	private static final String REPO = "/repos/([^/]+)/([^/]+)";

	private final WireMockServer server;

	private OutsideStubs(WireMockConfiguration config) {
		this.server = new WireMockServer(
				config.bindAddress("127.0.0.1").dynamicPort().globalTemplating(true).extensions(new Remembered()));
		this.server.start();
		stubSlack();
		stubGitHub();
		stubCodeDeploy();
	}

	/** With a request journal, for tests that count what was called. */
	public static OutsideStubs journaled() {
		return new OutsideStubs(wireMockConfig().containerThreads(40));
	}

	/** Without a journal, which would grow with every call of a long benchmark. */
	public static OutsideStubs unjournaled() {
		return new OutsideStubs(wireMockConfig().containerThreads(60).disableRequestJournal());
	}

	public WireMockServer server() {
		return this.server;
	}

	public String baseUrl() {
		return this.server.baseUrl();
	}

	/**
	 * The services' arguments that point every real adapter here, and their environment.
	 */
	public List<String> serviceArgs() {
		return List.of("--stop.slack.api-url=" + baseUrl() + "/api/", "--stop.tagger.github.api-url=" + baseUrl(),
				"--stop.changelog.github-api-url=" + baseUrl(), "--stop.tagger.github.backoff=50ms",
				"--stop.rollout.codedeploy.region=us-east-1", "--stop.rollout.codedeploy.endpoint=" + baseUrl());
	}

	/** Placeholder credentials: the stubs check none of them. */
	public static java.util.Map<String, String> serviceEnv() {
		return java.util.Map.of("SLACK_BOT_TOKEN", "xoxb-stub", "SLACK_SIGNING_SECRET", "stub-signing-secret",
				"GITHUB_TOKEN", "ghp_stub", "GITHUB_WEBHOOK_SECRET", "stub-webhook-secret", "AWS_ACCESS_KEY_ID",
				"AKIDSTUB", "AWS_SECRET_ACCESS_KEY", "stub-secret");
	}

	/** Every call so far, oldest first. */
	public List<ServeEvent> served() {
		List<ServeEvent> oldestFirst = new ArrayList<>(this.server.getAllServeEvents());
		Collections.reverse(oldestFirst);
		return oldestFirst;
	}

	/** A CodeDeploy operation, as its JSON protocol names it in a header. */
	public static MappingBuilder codedeploy(String operation) {
		return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(CODEDEPLOY + operation));
	}

	/**
	 * Answered from what was created before (see {@link Remembered}); a test may add a
	 * delay.
	 */
	public static ResponseDefinitionBuilder remembered() {
		return aResponse().withTransformers(Remembered.NAME);
	}

	/**
	 * A CodeDeploy deployment created, and remembered, under the id a test chose (to stub
	 * its progress).
	 */
	public static ResponseDefinitionBuilder createdDeployment(String deploymentId) {
		return remembered().withTransformerParameter("deploymentId", deploymentId);
	}

	public static ResponseDefinitionBuilder amzJson(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
	}

	public static ResponseDefinitionBuilder created(String body) {
		return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(body);
	}

	public static ResponseDefinitionBuilder notFound() {
		return aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"message\":\"Not Found\"}");
	}

	private void stubSlack() {
		this.server.stubFor(post("/api/auth.test")
			.willReturn(okJson("{\"ok\":true,\"team_id\":\"T0\",\"user_id\":\"U0BOB\",\"bot_id\":\"B0\"}")));
		this.server.stubFor(post("/api/views.open").willReturn(okJson("{\"ok\":true}")));
		this.server.stubFor(post("/api/chat.postMessage").willReturn(remembered()));
		this.server.stubFor(post("/api/chat.update").willReturn(okJson("{\"ok\":true}")));
		this.server.stubFor(post("/api/conversations.open").willReturn(remembered()));
		this.server.stubFor(post("/api/conversations.replies").willReturn(remembered()));
		this.server.stubFor(post("/api/conversations.history").willReturn(remembered()));
	}

	private void stubGitHub() {
		this.server.stubFor(get(urlPathMatching(REPO)).willReturn(okJson("""
				{"id":1,"name":"{{request.pathSegments.[2]}}",
				 "full_name":"{{request.pathSegments.[1]}}/{{request.pathSegments.[2]}}",
				 "owner":{"login":"{{request.pathSegments.[1]}}","id":1},
				 "html_url":"https://github.com/{{request.pathSegments.[1]}}/{{request.pathSegments.[2]}}"}""")));
		this.server.stubFor(get(urlPathMatching(REPO + "/commits/[0-9a-f]{40}"))
			.willReturn(okJson(commit("{{request.pathSegments.[4]}}", "Fix the signup form (#7)"))));
		this.server.stubFor(get(urlPathMatching(REPO + "/commits"))
			.willReturn(okJson("[" + commit("{{request.query.sha}}", "Fix the signup form (#7)") + "]")));
		this.server.stubFor(get(urlPathMatching(REPO + "/compare/.+")).willReturn(okJson("""
				{"status":"ahead","ahead_by":1,"behind_by":0,"total_commits":1,
				 "html_url":"https://github.com/stub/compare","base_commit":%s,"merge_base_commit":%s,
				 "commits":[%s]}""".formatted(commit("0000000000000000000000000000000000000000", "Before"),
				commit("0000000000000000000000000000000000000000", "Before"),
				commit("1111111111111111111111111111111111111111", "Tidy the pricing page (#8)")))));
		this.server.stubFor(get(urlPathMatching(REPO + "/git/refs/tags/.*")).willReturn(remembered()));
		this.server.stubFor(post(urlPathMatching(REPO + "/git/tags")).willReturn(created("""
				{"sha":"7a907a907a907a907a907a907a907a907a907a90","tag":"{{jsonPath request.body '$.tag'}}",
				 "object":{"sha":"{{jsonPath request.body '$.object'}}","type":"commit"}}""")));
		this.server.stubFor(post(urlPathMatching(REPO + "/git/refs")).willReturn(remembered()));
		this.server.stubFor(get(urlPathMatching(REPO + "/releases/tags/.*")).willReturn(remembered()));
		this.server.stubFor(post(urlPathMatching(REPO + "/releases")).willReturn(remembered()));
		this.server.stubFor(get(urlPathMatching(REPO + "/statuses/[0-9a-f]{40}")).willReturn(okJson("[]")));
		this.server.stubFor(get(urlPathMatching(REPO + "/commits/[0-9a-f]{40}/check-runs")).willReturn(
				okJson("""
						{"total_count":1,"check_runs":[{"id":4,"name":"build","head_sha":"{{request.pathSegments.[4]}}",
						 "status":"completed","conclusion":"success","check_suite":{"id":5},
						 "html_url":"https://github.com/{{request.pathSegments.[1]}}/{{request.pathSegments.[2]}}/runs/4"}]}""")));
		this.server.stubFor(get(urlPathMatching(REPO + "/commits/tags/[^/]+/check-suites")).willReturn(tagSuite()));
	}

	/**
	 * The check suite GitHub ran for the tag asked about (its head branch is the tag),
	 * whose runs the check-runs answers list (suite 5).
	 */
	public static ResponseDefinitionBuilder tagSuite() {
		return suiteOf("{{request.pathSegments.[5]}}");
	}

	/** The commit's one check suite (5), which ran for this branch or tag. */
	public static ResponseDefinitionBuilder suiteOf(String headBranch) {
		return okJson("""
				{"total_count":1,"check_suites":[{"id":5,"head_branch":"%s","status":"completed",
				 "conclusion":"success","app":{"id":15368,"slug":"github-actions"}}]}""".formatted(headBranch));
	}

	private static String commit(String sha, String message) {
		return """
				{"sha":"%s","commit":{"message":"%s","author":{"name":"Ann","email":"a@x","date":"2026-11-26T10:00:00Z"},
				 "committer":{"name":"GitHub","email":"noreply@github.com","date":"2026-11-26T10:05:00Z"}}}"""
			.formatted(sha, message);
	}

	private void stubCodeDeploy() {
		this.server.stubFor(codedeploy("ListDeployments").willReturn(remembered()));
		this.server.stubFor(codedeploy("BatchGetDeployments").willReturn(remembered()));
		this.server.stubFor(codedeploy("CreateDeployment").willReturn(remembered()));
		this.server.stubFor(codedeploy("GetDeployment").willReturn(
				amzJson("""
						{"deploymentInfo":{"deploymentId":"{{jsonPath request.body '$.deploymentId'}}",
						 "applicationName":"app","deploymentGroupName":"group",
						 "deploymentConfigName":"CodeDeployDefault.HalfAtATime","status":"Succeeded",
						 "deploymentOverview":{"Pending":0,"InProgress":0,"Succeeded":4,"Failed":0,"Skipped":0,"Ready":0}}}""")));
	}

	@Override
	public void close() {
		this.server.stop();
	}

}
