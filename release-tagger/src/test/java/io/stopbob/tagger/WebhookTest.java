package io.stopbob.tagger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.stopbob.events.BuildPassed;
import io.stopbob.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTest extends TaggerTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aForgedWebhookIsRefusedWith401() throws Exception {
		String body = checkSuite("abc1234abc1234abc1234abc1234abc1234abcd");

		assertThat(deliver("check_suite", body, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);
		assertThat(deliver("check_suite", body, null).statusCode()).isEqualTo(401);
		assertThat(deliver("check_suite", body, sign(body, "another-secret")).statusCode()).isEqualTo(401);
	}

	@Test
	void aCheckSuiteWebhookDecidesAtOnceAndRacingThePollerStillGivesOneOutcome() throws Exception {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "in_progress", null) + "]");
		String deployId = newDeployId();

		try (TopicProbe events = probe()) {
			this.publisher.publish(request(deployId, "staging", sha));
			eventsOf(events, deployId, 1);
			checks(sha, "[" + checkRun("build", "completed", "success") + "]");
			String body = checkSuite(sha);

			for (int i = 0; i < 5; i++) {
				assertThat(deliver("check_suite", body, sign(body, WEBHOOK_SECRET)).statusCode()).isEqualTo(202);
			}

			assertThat(only(eventsOf(events, deployId, 2), BuildPassed.class)).hasSize(1);
			assertThat(events.drain(Duration.ofSeconds(2))
				.stream()
				.filter((record) -> TopicProbe.decodes(record) && TopicProbe.event(record) instanceof BuildPassed passed
						&& passed.getMeta().getDeployId().equals(deployId)))
				.hasSize(1);
		}
		finally {
			succeed(deployId, "staging");
		}
	}

	@Test
	void statusAndWorkflowRunEventsAreUnderstoodAndOthersIgnored() throws Exception {
		String status = "{\"id\":1,\"sha\":\"" + newSha() + "\",\"state\":\"success\",\"context\":\"ci/circleci\"}";
		String workflow = "{\"action\":\"completed\",\"workflow_run\":{\"id\":2,\"head_sha\":\"" + newSha()
				+ "\",\"conclusion\":\"success\",\"html_url\":\"https://github.com/stop-bob/demo/actions/runs/2\"}}";
		String issue = "{\"action\":\"opened\",\"issue\":{\"number\":1}}";

		assertThat(deliver("status", status, sign(status, WEBHOOK_SECRET)).body()).contains("checking");
		assertThat(deliver("workflow_run", workflow, sign(workflow, WEBHOOK_SECRET)).body()).contains("checking");
		assertThat(deliver("issues", issue, sign(issue, WEBHOOK_SECRET)).body()).contains("ignored");
		assertThat(deliver("ping", "{}", sign("{}", WEBHOOK_SECRET)).body()).contains("pong");
	}

	private HttpResponse<String> deliver(String event, String body, String signature) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/webhooks/github"))
			.header("Content-Type", "application/json")
			.header("X-GitHub-Event", event)
			.header("X-GitHub-Delivery", java.util.UUID.randomUUID().toString())
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (signature != null) {
			request.header("X-Hub-Signature-256", signature);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String checkSuite(String sha) {
		return """
				{"action":"completed","check_suite":{"id":5,"head_branch":null,"head_sha":"%s","status":"completed",
				 "conclusion":"success","url":"https://api.github.com/repos/stop-bob/demo/check-suites/5"},
				 "repository":{"id":1296269,"full_name":"stop-bob/demo"}}""".formatted(sha);
	}

	private static String sign(String body, String secret) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
	}

}
