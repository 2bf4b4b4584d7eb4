package io.stopbob.ingress;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.stopbob.events.ApprovalDecided;
import io.stopbob.events.Decision;
import io.stopbob.events.DeployKind;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.DeployRequested;
import io.stopbob.events.DeployStage;
import io.stopbob.events.SlackUser;
import io.stopbob.events.TargetOperation;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.messaging.OperationMapping;
import io.stopbob.ledger.operations.Board;
import io.stopbob.schemas.EventMother;
import io.stopbob.schemas.Topics;
import io.stopbob.testkit.TopicProbe;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operating deploys from Slack: rollback, locks, the queue, approvals, freezes, status,
 * history and settings. Each test has a target of the test catalog to itself.
 */
class OperationsTest extends IngressTest {

	private static final AtomicInteger presses = new AtomicInteger();

	private static final String SHA_A = "aaaaaaa1111111111111111111111111111111aa";

	private static final String SHA_B = "bbbbbbb2222222222222222222222222222222bb";

	private static final String SHA_C = "ccccccc3333333333333333333333333333333cc";

	@Autowired
	private Board board;

	@Test
	void statusHistoryAndRollbackAnswerFromAPreparedHistoryAndALockPassesOnlyTheRollback() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		history("ops", "d-ops-1", SHA_A, "U1OLIVE", "olive", now.minus(Duration.ofHours(3)), DeployOutcome.SUCCEEDED,
				null);
		history("ops", "d-ops-2", SHA_B, "U1RORY", "rory", now.minus(Duration.ofHours(2)), DeployOutcome.SUCCEEDED,
				null);
		history("ops", "d-ops-3", SHA_C, "U1QUINN", "quinn", now.minus(Duration.ofHours(1)), DeployOutcome.FAILED,
				"check `test` failed");

		assertThat(command("U1ANY", "anyone", "history demo ops 2")).contains("*Last 2 deploys of demo/ops*")
			.contains("`ccccccc` FAILED in 1m 30s · quinn · check `test` failed · d-ops-3")
			.contains("`bbbbbbb` SUCCEEDED in 1m 30s · rory · d-ops-2")
			.doesNotContain("aaaaaaa");
		assertThat(command("U1ANY", "anyone", "status demo")).contains("*demo/ops*")
			.contains("• running: `bbbbbbb` (ops-d-ops-2) since ")
			.contains(" by rory");

		command("U1ANY", "anyone", "rollback demo ops");
		String view = awaitView("demo|ops|" + SHA_A);
		assertThat(view).contains("\"callback_id\":\"stop_rollback\"")
			.contains("*Now on demo/ops:* `bbbbbbb`, deployed by rory")
			.contains("*Back to:* `aaaaaaa` (ops-d-ops-1), deployed by olive");

		String locked = command("U1OLIVE", "olive", "lock demo ops --for 2h db migration running");
		assertThat(locked).contains(":lock: olive locked demo/ops: db migration running (until ")
			.contains("Deploys are refused; rollbacks still pass.");
		assertThat(posted("C0DEPLOYS", ":lock: olive locked demo/ops")).hasSize(1);
		String refused = command("U1PIA", "pia", "deploy demo ops 1234abcd");
		assertThat(refused).contains(":no_entry: Not deploying: demo/ops is locked by olive since ")
			.contains(": db migration running (until ")
			.contains("Unlock it with `/stop unlock demo ops`; rollbacks still pass.")
			.doesNotContain("stop_queue");
		assertThat(rebuiltBoard().lock(new Target("demo", "ops"), Instant.now()))
			.as("the lock, rebuilt from the log as after a restart")
			.hasValueSatisfying((lock) -> assertThat(lock.reason()).isEqualTo("db migration running"));

		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			var confirmed = submitRollback("U1PIA", "pia", "demo|ops|" + SHA_A);
			assertThat(confirmed.statusCode()).isEqualTo(200);
			assertThat(confirmed.body()).isEmpty();
			DeployRequested rollback = requested(requests, 1,
					(event) -> event.getKind() == DeployKind.ROLLBACK && event.getMeta().getEnvironment().equals("ops"))
				.get(0);
			assertThat(rollback.getSha()).isEqualTo(SHA_A);
			assertThat(rollback.getRequestedBy().getName()).isEqualTo("pia");
			assertThat(rollback.getReason()).isEqualTo("roll back from bbbbbbb");
			finish(rollback.getMeta().getDeployId(), "demo", "ops");
		}
		assertThat(command("U1OLIVE", "olive", "unlock demo ops"))
			.contains(":unlock: olive unlocked demo/ops (locked by olive since ")
			.contains(": db migration running).");
		assertThat(command("U1PIA", "pia", "deploy demo ops 1234abcd")).contains("On it: ");
		finish(this.ledger.inFlight(new Target("demo", "ops")).orElseThrow().deployId(), "demo", "ops");
	}

	@Test
	void aRollbackThatFailsLocksItsTargetOnceSayingWhy() {
		publisher.publish(EventMother.deployRequested("d-frag-1")
			.setMeta(EventMother.meta("d-frag-1").setEnvironment("fragile").build())
			.setKind(DeployKind.ROLLBACK)
			.build());
		var finished = EventMother.deployFinished("d-frag-1")
			.setMeta(EventMother.meta("d-frag-1").setEnvironment("fragile").build())
			.setOutcome(DeployOutcome.ROLLED_BACK)
			.setReason("i-1 failed ValidateService")
			.build();
		publisher.publish(finished);
		publisher.publish(finished);

		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.board.lock(new Target("demo", "fragile"), Instant.now()).isPresent());
		assertThat(this.board.lock(new Target("demo", "fragile"), Instant.now()).orElseThrow().reason())
			.isEqualTo("the rollback d-frag-1 to 3f9c2a1 ended rolled back (i-1 failed ValidateService);"
					+ " check what runs there before deploying again");
		assertThat(command("U1ANY", "anyone", "deploy demo fragile abcdef1"))
			.contains("demo/fragile is locked by StoP Bob since");
		Awaitility.await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
		assertThat(posted("C0DEPLOYS", ":lock: StoP Bob locked demo/fragile")).hasSize(1);
	}

	@Test
	void aBusyTargetQueuesInOrderAndTheRequesterMayCancel() {
		Target target = new Target("demo", "queued");
		assertThat(command("U1OLIVE", "olive", "deploy demo queued 1111111")).contains("On it: ");
		String first = this.ledger.inFlight(target).orElseThrow().deployId();

		String busy = command("U1PIA", "pia", "deploy demo queued 2222222");
		assertThat(busy).contains("demo/queued is busy: olive is deploying 1111111")
			.contains("\"action_id\":\"stop_queue\"");
		Matcher value = Pattern.compile("\"value\":\"([^\"]+)\"").matcher(busy);
		assertThat(value.find()).isTrue();
		String queued = press("U1PIA", "pia", "stop_queue", value.group(1));
		assertThat(queued).contains("Queued demo `2222222` for demo/queued as d-")
			.contains("(number 1 in line)")
			.contains("\"replace_original\":true");
		String second = this.board.queue(target).get(0).id();
		assertThat(command("U1QUINN", "quinn", "queue demo queued 3333333 after the fix"))
			.contains("(number 2 in line)")
			.contains("\"action_id\":\"stop_cancel_queued\"");
		String third = this.board.queue(target).get(1).id();

		assertThat(command("U1ANY", "anyone", "status demo")).contains("• queued 1: " + second + " `2222222` by pia")
			.contains("• queued 2: " + third + " `3333333` by quinn");
		assertThat(command("U1PIA", "pia", "cancel " + third))
			.contains(":no_entry: Only quinn, who queued " + third + ", can cancel it.");
		assertThat(press("U1QUINN", "quinn", "stop_cancel_queued", third)).contains("Cancelled " + third);

		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			finish(first, "demo", "queued");
			DeployRequested next = requested(requests, 1,
					(event) -> event.getMeta().getEnvironment().equals("queued") && event.getSha().equals("2222222"))
				.get(0);
			assertThat(next.getMeta().getDeployId()).as("a queued deploy keeps its id").isEqualTo(second);
			assertThat(next.getRequestedBy().getName()).isEqualTo("pia");
			finish(second, "demo", "queued");
			assertThat(requests.drain(Duration.ofSeconds(3)))
				.noneMatch((record) -> TopicProbe.event(record) instanceof DeployRequested requested
						&& requested.getSha().equals("3333333"));
		}
		assertThat(this.board.queue(target)).isEmpty();
	}

	@Test
	void aSecondPersonApprovesTheRequesterCannotAndTheButtonsGoOnceDecided() {
		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			assertThat(command("U1OLIVE", "olive", "deploy demo reviewed abcdef1"))
				.contains("waits for a second person to approve it in C0DEPLOYS (until ");
			String deployId = this.board.pendingApproval(new Target("demo", "reviewed")).orElseThrow().held().id();
			LoggedRequest asked = posted("C0DEPLOYS", "olive asks to deploy demo `abcdef1` to reviewed").get(0);
			assertThat(param(asked, "blocks")).contains("\"action_id\":\"stop_approve\"")
				.contains("\"action_id\":\"stop_reject\"")
				.contains("\"value\":\"" + deployId + "\"");
			assertThat(command("U1PIA", "pia", "deploy demo reviewed 9999999")).contains(
					"demo/reviewed is busy: olive's deploy of abcdef1 (" + deployId + ") waits for approval until");

			assertThat(press("U1OLIVE", "olive", "stop_approve", deployId)).contains(
					"You asked for this deploy, so someone else who may deploy demo to reviewed must approve it.");
			assertThat(requests.drain(Duration.ofSeconds(1)))
				.noneMatch((record) -> TopicProbe.event(record).toString().contains(deployId));

			assertThat(press("U1PIA", "pia", "stop_approve", deployId)).contains("Approved: " + deployId);
			DeployRequested requested = requested(requests, 1,
					(event) -> event.getMeta().getDeployId().equals(deployId))
				.get(0);
			assertThat(requested.getApprovedBy()).isEqualTo(new SlackUser("U1PIA", "pia"));
			assertThat(requested.getRequestedBy().getName()).isEqualTo("olive");
			LoggedRequest decided = updates("approved by pia").get(0);
			assertThat(param(decided, "ts")).isEqualTo(ts(asked));
			assertThat(param(decided, "blocks")).doesNotContain("stop_approve").doesNotContain("stop_reject");
			assertThat(press("U1QUINN", "quinn", "stop_reject", deployId)).contains("Already decided: approved by pia");
			finish(deployId, "demo", "reviewed");
		}
	}

	@Test
	void anApprovalNobodyDecidesExpiresAndItsMessagesSaySo() {
		try (TopicProbe operations = probe(Topics.TARGET_OPERATIONS)) {
			command("U1OLIVE", "olive", "deploy demo hurried abcdef2");
			String deployId = this.board.approvals()
				.stream()
				.filter((approval) -> approval.held().target().environment().equals("hurried"))
				.findFirst()
				.orElseThrow()
				.held()
				.id();

			operations.await(1,
					(record) -> TopicProbe.event(record) instanceof TargetOperation operation
							&& operation.getMeta().getDeployId().equals(deployId)
							&& operation.getChange() instanceof ApprovalDecided decided
							&& decided.getDecision() == Decision.EXPIRED,
					Duration.ofSeconds(20));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> updates("nobody approved it in time").size() >= 2);
			assertThat(press("U1PIA", "pia", "stop_approve", deployId)).contains("Already decided: expired");
			assertThat(this.ledger.find(deployId)).as("nothing was deployed").isEmpty();
		}
	}

	@Test
	void aDeployInsideAFreezeIsRefusedUnlessAnEmergencyReasonIsGivenWhichIsRecordedAndAnnounced() {
		assertThat(command("U0FRZ", "fred", "deploy demo frozen abcdef3"))
			.contains(":no_entry: Not deploying: demo/frozen is frozen: Test freeze (MONDAY,")
			.contains("00:00–00:00 Europe/Berlin). In an emergency, add `--emergency` and why");
		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			assertThat(command("U0FRZ", "fred", "deploy demo frozen abcdef3 --emergency payments are down"))
				.contains("On it: ");
			DeployRequested requested = requested(requests, 1,
					(event) -> event.getMeta().getEnvironment().equals("frozen"))
				.get(0);
			assertThat(requested.getFreezeOverride().getWindow()).isEqualTo("Test freeze");
			assertThat(requested.getFreezeOverride().getReason()).isEqualTo("payments are down");
			assertThat(posted("C0DEPLOYS", ":rotating_light: fred is deploying demo `abcdef3` to frozen inside the"
					+ " freeze window *Test freeze*. Emergency reason: payments are down"))
				.hasSize(1);
			String deployId = requested.getMeta().getDeployId();
			finish(deployId, "demo", "frozen");
			assertThat(command("U1ANY", "anyone", "history demo frozen"))
				.contains(":rotating_light: freeze override (Test freeze): payments are down");
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> !slackCalls("chat.postMessage", deployId + "%3Adm").isEmpty());
			assertThat(slackCalls("chat.postMessage", deployId + "%3Adm")).singleElement()
				.satisfies((dm) -> assertThat(param(dm, "channel")).isEqualTo("U0FRZ"));
		}
	}

	@Test
	void notifyOffIsKeptOnTheLogAndUsageIsExplained() {
		assertThat(command("U0QUIET", "quiet", "notify off")).contains("No more direct messages");
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !rebuiltBoard().directMessages("U0QUIET"));
		assertThat(command("U0QUIET", "quiet", "notify maybe")).contains("Usage: `/stop notify on|off`");
		assertThat(command("U0QUIET", "quiet", "lock demo ops")).contains("Usage: `/stop lock");
		assertThat(command("U0QUIET", "quiet", "history demo ops 500")).contains("Ask for 1 to 50 deploys.");
		assertThat(command("U0QUIET", "quiet", "rollback nosuchapp")).contains("I don't know the app `nosuchapp`");
		assertThat(command("U0QUIET", "quiet", "cancel d-nothing")).contains("Nothing queued has the id d-nothing");
	}

	@Test
	void statsAnswerWithTheFourFiguresInSlackAndOnTheApi() throws Exception {
		assertThat(command("U1ANY", "anyone", "stats demo 7")).contains("*Delivery of demo, last 7 days*")
			.contains("• Deploy frequency: ")
			.contains("• Lead time for changes (commit to live): ")
			.contains("• Change-failure rate: ")
			.contains("• Time to restore: ");
		assertThat(command("U1ANY", "anyone", "stats demo 999")).contains("Ask for 1 to 365 days.");
		assertThat(command("U1ANY", "anyone", "stats nosuchapp")).contains("I don't know the app `nosuchapp`");

		var api = send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/api/stats?app=demo&days=7"))
			.header("Authorization", "Bearer " + API_TOKEN)
			.build());
		assertThat(api.statusCode()).isEqualTo(200);
		assertThat(api.body()).contains("\"deployFrequency\":{")
			.contains("\"leadTime\":{\"count\":")
			.contains("\"changeFailureRate\":{")
			.contains("\"timeToRestore\":{")
			.contains("\"band\":\"");
		var refused = send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/api/stats?days=0"))
			.header("Authorization", "Bearer " + API_TOKEN)
			.build());
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("Ask for 1 to 365 days.");
	}

	private String command(String userId, String userName, String text) {
		return text(slackRequest(slashCommand(userId, userName, text), Instant.now()));
	}

	/** Presses a button as Slack sends it, and returns what the presser was answered. */
	private String press(String userId, String userName, String actionId, String value) {
		String respondPath = "/actions/respond/" + presses.incrementAndGet();
		String payload = """
				{"type":"block_actions","team":{"id":"T0STOP","domain":"stop"},
				 "user":{"id":"%s","username":"%s","name":"%s","team_id":"T0STOP"},
				 "api_app_id":"A0STOP","token":"legacy","trigger_id":"1337.42.press%d",
				 "container":{"type":"message","message_ts":"1700000000.000200","channel_id":"C0DEPLOYS"},
				 "channel":{"id":"C0DEPLOYS","name":"deploys"},"response_url":"%s",
				 "actions":[{"type":"button","action_id":"%s","block_id":"b1","value":"%s",
				  "text":{"type":"plain_text","text":"press"},"action_ts":"1700000000.000300"}]}
				""".formatted(userId, userName, userName, presses.get(), slack.baseUrl() + respondPath, actionId,
				value);
		assertThat(slackRequest(form(Map.of("payload", payload)), Instant.now()).statusCode()).isEqualTo(200);
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> !slack.findAll(postRequestedFor(urlEqualTo(respondPath))).isEmpty());
		return readable(slack.findAll(postRequestedFor(urlEqualTo(respondPath))).get(0).getBodyAsString());
	}

	private java.net.http.HttpResponse<String> submitRollback(String userId, String userName, String metadata) {
		return submitView(userId, userName, "stop_rollback", metadata, "Roll back demo",
				"{\"reason\":{\"value\":{\"type\":\"plain_text_input\",\"value\":null}}}");
	}

	/** A deploy of the past, as the pipeline would have logged it. */
	private void history(String environment, String deployId, String sha, String userId, String userName, Instant at,
			DeployOutcome outcome, String reason) {
		publisher.publish(EventMother.deployRequested(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).setOccurredAt(at).build())
			.setSha(sha)
			.setRequestedBy(new SlackUser(userId, userName))
			.build());
		publisher.publish(EventMother.tagCreated(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).setOccurredAt(at.plusSeconds(5)).build())
			.setSha(sha)
			.setTag(environment + "-" + deployId)
			.build());
		publisher.publish(EventMother.deployFinished(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).setOccurredAt(at.plusSeconds(90)).build())
			.setOutcome(outcome)
			.setStage((outcome == DeployOutcome.SUCCEEDED) ? DeployStage.ROLLOUT : DeployStage.BUILD)
			.setReason(reason)
			.setSha(sha)
			.setDurationMillis(90_000L)
			.build());
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.ledger.find(deployId).map((deploy) -> deploy.finished()).orElse(false));
	}

	/**
	 * The board as a restarted service rebuilds it: every operation from the beginning.
	 */
	private Board rebuiltBoard() {
		Board rebuilt = new Board();
		try (TopicProbe log = probe(Topics.TARGET_OPERATIONS, Topics.USER_PREFERENCES)) {
			for (var record : log.drain(Duration.ofSeconds(1))) {
				if (TopicProbe.event(record) instanceof TargetOperation operation) {
					rebuilt.apply(OperationMapping.toDomain(operation));
				}
				else if (TopicProbe.event(record) instanceof io.stopbob.events.UserPreference preference) {
					rebuilt.apply(OperationMapping.toDomain(preference));
				}
			}
		}
		return rebuilt;
	}

	/**
	 * Messages posted to the channel itself (not in a thread) whose text contains this.
	 */
	private static List<LoggedRequest> posted(String channel, String text) {
		return slack.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")))
			.stream()
			.filter((request) -> channel.equals(param(request, "channel")) && param(request, "text").contains(text))
			.toList();
	}

	private static List<LoggedRequest> updates(String text) {
		return slack.findAll(postRequestedFor(urlEqualTo("/api/chat.update")))
			.stream()
			.filter((request) -> param(request, "text").contains(text))
			.toList();
	}

	private static String awaitView(String metadata) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> slack.findAll(postRequestedFor(urlEqualTo("/api/views.open")))
				.stream()
				.anyMatch((open) -> param(open, "view").contains(metadata)));
		return slack.findAll(postRequestedFor(urlEqualTo("/api/views.open")))
			.stream()
			.map((open) -> param(open, "view"))
			.filter((view) -> view.contains(metadata))
			.findFirst()
			.orElseThrow();
	}

	private static String ts(LoggedRequest post) {
		return slack.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getBodyAsString().equals(post.getBodyAsString()))
			.map((event) -> event.getResponse().getBodyAsString())
			.map((body) -> body.replaceAll(".*\"ts\":\"([^\"]+)\".*", "$1"))
			.findFirst()
			.orElseThrow();
	}

}
