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
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.slack.api.app_backend.SlackSignature;
import io.stopbob.cli.Kafka;
import io.stopbob.cli.Stack;
import io.stopbob.cli.log.Replay;
import io.stopbob.cli.stubs.OutsideStubs;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pipeline across real processes with the real adapters (Bolt and the Slack Web API
 * client, github-api, the AWS SDK), and WireMock in this JVM speaking Slack's, GitHub's
 * and CodeDeploy's wire formats: a signed slash command, the modal's submission, the tag
 * and release, a signed check_suite webhook, the CodeDeploy deployment, the final
 * messages. Every call that changes something outside is made once, in pipeline order.
 */
class RealAdaptersSystemTest {

	private static final String SIGNING_SECRET = OutsideStubs.serviceEnv().get("SLACK_SIGNING_SECRET");

	private static final String WEBHOOK_SECRET = OutsideStubs.serviceEnv().get("GITHUB_WEBHOOK_SECRET");

	private static final String SHA = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";

	private static final String REPO = "/repos/stop-bob/convertkit";

	private static OutsideStubs outside;

	private static SystemStack stack;

	@BeforeAll
	static void startTheStack() throws Exception {
		outside = OutsideStubs.journaled();
		checkRun("in_progress", null);
		stack = new SystemStack();
		Path catalog = stack.home.resolve("catalog.yml");
		Files.writeString(catalog, "apps:\n" + SystemStack.codeDeployApp("convertkit"));
		stack.start(catalog, outside.serviceArgs(), OutsideStubs.serviceEnv());
	}

	@AfterAll
	static void stopTheStack() throws Exception {
		if (stack != null) {
			stack.stop();
		}
		if (outside != null) {
			outside.close();
		}
	}

	@Test
	void aSlashCommandBecomesATagABuildADeploymentAndTheFinalMessage() throws Exception {
		assertThat(slack("command=%2Fstop&text=deploy+convertkit&user_id=U0ANN&user_name=ann&channel_id=C0CHAT"
				+ "&team_id=T0&trigger_id=1.2.3&response_url="
				+ URLEncoder.encode(outside.baseUrl() + "/respond", StandardCharsets.UTF_8))
			.statusCode()).isEqualTo(200);
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !calls("/api/views.open").isEmpty());

		String submission = """
				{"type":"view_submission","team":{"id":"T0"},"user":{"id":"U0ANN","username":"ann","name":"ann"},
				 "api_app_id":"A0","token":"x","trigger_id":"4.5.6",
				 "view":{"id":"V0","type":"modal","callback_id":"stop_deploy","private_metadata":"convertkit|C0CHAT",
				  "state":{"values":{"sha":{"value":{"type":"plain_text_input","value":"%s"}},
				   "environment":{"value":{"type":"static_select","selected_option":{"text":{"type":"plain_text","text":"production"},"value":"production"}}},
				   "reason":{"value":{"type":"plain_text_input","value":null}}}}}}"""
			.formatted(SHA);
		assertThat(slack("payload=" + URLEncoder.encode(submission, StandardCharsets.UTF_8)).body()).isEmpty();

		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.until(() -> !calls("/repos/stop-bob/convertkit/releases").isEmpty());
		checkRun("completed", "success");
		String webhook = "{\"action\":\"completed\",\"check_suite\":{\"id\":1,\"head_sha\":\"" + SHA
				+ "\",\"status\":\"completed\",\"conclusion\":\"success\"}}";
		HttpResponse<String> delivered = Stack.HTTP
			.send(HttpRequest.newBuilder(URI.create(stack.url("release-tagger", "/webhooks/github")))
				.header("X-GitHub-Event", "check_suite")
				.header("X-Hub-Signature-256", hubSignature(webhook))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(webhook))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(delivered.statusCode()).isEqualTo(202);

		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.until(() -> messages().stream().anyMatch((text) -> text.contains("is live on production")));
		Thread.sleep(2_000);

		List<String> changes = outsideChanges();
		assertThat(changes)
			.containsExactly("slack views.open", "slack chat.postMessage deploying convertkit `5ca1ab1` to production",
					"github POST /git/tags", "github POST /git/refs", "github POST /releases",
					"codedeploy CreateDeployment")
			.hasSize(6);
		assertThat(messages()).anySatisfy((text) -> assertThat(text).startsWith(":label: tagged `production-"))
			.anySatisfy(
					(text) -> assertThat(text).startsWith(":white_check_mark: build passed: build on github-checks"))
			.anySatisfy((text) -> assertThat(text).contains("*First release* of convertkit → production")
				.contains("<https://github.com/stop-bob/convertkit/pull/7|#7> Fix the signup form — Ann"))
			.filteredOn((text) -> text.contains("is live on production"))
			.satisfiesExactlyInAnyOrder(
					(thread) -> assertThat(thread).contains("\"action_id\":\"stop_rollback\"")
						.contains("\"value\":\"convertkit/production\""),
					(channel) -> assertThat(channel).startsWith(":tada: convertkit `5ca1ab1` is live on production")
						.doesNotContain("stop_rollback"),
					(direct) -> assertThat(direct).startsWith("Your deploy "));

		// The whole log published again, event ids and all: nothing outside happens
		// twice.
		String deployId = calls("/api/chat.postMessage").stream()
			.map(RealAdaptersSystemTest::text)
			.filter((text) -> text.startsWith("deploying"))
			.map((text) -> text.replaceAll(".* · (d-[0-9a-f-]+)$", "$1"))
			.findFirst()
			.orElseThrow();
		int messagesBefore = messages().size();
		Replay replay = new Replay(new Kafka(stack.stack.bootstrapServers()), System.out);
		assertThat(replay.replay(Instant.EPOCH, false)).isGreaterThanOrEqualTo(5);
		Thread.sleep(5_000);
		assertThat(outsideChanges()).isEqualTo(changes);
		assertThat(messages()).hasSize(messagesBefore);
		assertThatThrownBy(() -> replay.redrive(deployId, false)).hasMessageContaining("has finished (SUCCEEDED)");
	}

	/**
	 * Calls that change something outside, in the order they were made (messages listed
	 * separately).
	 */
	private static List<String> outsideChanges() {
		return served().stream().map((event) -> {
			String url = event.getRequest().getUrl();
			String target = event.getRequest().getHeader("X-Amz-Target");
			if (url.equals("/api/views.open")) {
				return "slack views.open";
			}
			if (url.equals("/api/chat.postMessage") && text(event).startsWith("deploying")) {
				return "slack chat.postMessage " + text(event).substring(0, text(event).indexOf(" (asked"));
			}
			if (event.getRequest().getMethod().getName().equals("POST") && url.startsWith(REPO + "/")) {
				return "github POST " + url.substring(REPO.length());
			}
			if (target != null && target.endsWith("CreateDeployment")) {
				return "codedeploy CreateDeployment";
			}
			return null;
		}).filter((change) -> change != null).toList();
	}

	private static List<String> messages() {
		return served().stream()
			.filter((event) -> event.getRequest().getUrl().equals("/api/chat.postMessage"))
			.map(RealAdaptersSystemTest::text)
			.toList();
	}

	private static List<ServeEvent> served() {
		return outside.served();
	}

	private static List<ServeEvent> calls(String url) {
		return served().stream().filter((event) -> event.getRequest().getUrl().equals(url)).toList();
	}

	private static String text(ServeEvent event) {
		var form = event.getRequest().formParameters();
		String text = form.containsKey("text") ? form.get("text").firstValue() : "";
		String blocks = form.containsKey("blocks") ? form.get("blocks").firstValue() : "";
		return (text + " " + blocks).strip().replace("\\u003c", "<").replace("\\u003e", ">");
	}

	private static HttpResponse<String> slack(String body) throws Exception {
		String timestamp = Long.toString(Instant.now().getEpochSecond());
		return Stack.HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("slack-ingress", "/slack/events")))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Slack-Request-Timestamp", timestamp)
			.header("X-Slack-Signature", new SlackSignature.Generator(SIGNING_SECRET).generate(timestamp, body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String hubSignature(String body) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
	}

	private static void checkRun(String status, String conclusion) {
		outside.server()
			.stubFor(get(urlPathEqualTo(REPO + "/commits/" + SHA + "/check-runs")).willReturn(okJson("""
					{"total_count":1,"check_runs":[{"id":4,"name":"build","head_sha":"%s","status":"%s","conclusion":%s,
					 "html_url":"https://github.com/stop-bob/convertkit/runs/4","check_suite":{"id":5}}]}"""
				.formatted(SHA, status, (conclusion != null) ? "\"" + conclusion + "\"" : "null"))));
	}

}
