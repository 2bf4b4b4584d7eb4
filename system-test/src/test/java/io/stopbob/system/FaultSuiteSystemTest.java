package io.stopbob.system;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.stopbob.cli.Kafka;
import io.stopbob.cli.Stack;
import io.stopbob.cli.bench.SampleEvents;
import io.stopbob.cli.log.DeadLetters;
import io.stopbob.cli.stubs.OutsideStubs;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.stopbob.cli.stubs.OutsideStubs.amzJson;
import static io.stopbob.cli.stubs.OutsideStubs.codedeploy;
import static io.stopbob.system.SystemStack.sha;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What production does to a deploy system, done to the real processes (a KRaft broker and
 * the four services with their real adapters, WireMock speaking Slack, GitHub and
 * CodeDeploy): services killed with SIGKILL at their longest step and restarted, the
 * brokers stopped for 20 s, one of the three brokers killed, outside systems failing and
 * throttling, poison records and a race for one target (hostile requests are the security
 * suite's). Each case checks the deploy's outcome, that every outside side effect
 * happened exactly once and that no deploy was lost or finished twice. Ends with
 * {@code faults: tried=N survived=N lost=0 duplicated=0}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteSystemTest {

	private static final List<String> APPS = List.of("kill-ingress", "kill-tagger", "kill-changelog", "kill-rollout",
			"broker-down", "broker-killed", "github-faults", "slack-faults", "codedeploy-faults", "poison", "busy",
			"slack-away", "github-away", "github-other", "broker-away", "codedeploy-away", "removed", "after-removal",
			"new-target", "scaled-lock", "scaled-status", "scaled-approval", "scaled-kill-a", "scaled-kill-b");

	/**
	 * Partitions (of two) of the scale-out cases' targets: scaled-lock, scaled-approval
	 * and scaled-kill-a on 0, scaled-status and scaled-kill-b on 1; so each instance owns
	 * some of them.
	 */
	private static final String SECOND_INGRESS = Stack.instance("slack-ingress", 2);

	/**
	 * Longer than any bounded retry there was before outages were waited out: Slack's 5
	 * attempts with backoff (7.5 s) three times over, GitHub's 4 (well under a second
	 * with the stack's 50 ms backoff) three times, CodeDeploy's 4 (7 s), and the broker's
	 * 30 s publish timeout three times (92 s).
	 */
	private static final Duration SLACK_OUTAGE = Duration.ofSeconds(30);

	private static final Duration GITHUB_OUTAGE = Duration.ofSeconds(15);

	private static final Duration CODEDEPLOY_OUTAGE = Duration.ofSeconds(20);

	private static final Duration BROKER_OUTAGE = Duration.ofSeconds(95);

	private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(120);

	private static OutsideStubs outside;

	private static SystemStack stack;

	private static TopicWatch topics;

	private static final List<String> deploys = new ArrayList<>();

	private static int tried;

	private static int survived;

	@BeforeAll
	static void startTheStack() throws Exception {
		outside = OutsideStubs.journaled();
		// A three-node cluster (replication 3, min.insync.replicas 2): the services run
		// on it unchanged, and one case kills a node.
		stack = new SystemStack(3);
		Path file = writeCatalog(APPS);
		stack.start(file, outside.serviceArgs(), OutsideStubs.serviceEnv());
		topics = new TopicWatch(stack.stack.bootstrapServers());
	}

	@AfterAll
	static void summary() throws Exception {
		try {
			if (topics != null) {
				Thread.sleep(2_000);
				long lost = deploys.stream().filter((id) -> topics.finishes(id) == 0).count();
				long duplicated = deploys.stream().filter((id) -> topics.finishes(id) > 1).count();
				System.out.printf("faults: tried=%d survived=%d lost=%d duplicated=%d%n", tried, survived, lost,
						duplicated);
				topics.close();
				assertThat(lost).as("deploys that never finished").isZero();
				assertThat(duplicated).as("deploys that finished twice").isZero();
			}
		}
		finally {
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
	void slackIngressKilledWhileItReportsTheRolloutFinishesTheThreadOnce() throws Exception {
		fault(() -> midRollout("kill-ingress", () -> {
			stack.kill("slack-ingress");
			stack.restart("slack-ingress");
		}));
	}

	@Test
	@Order(2)
	void releaseTaggerKilledWhileWaitingForCiStillGatesOnCiAndTagsOnce() throws Exception {
		fault(() -> {
			String app = "kill-tagger";
			String sha = sha();
			checkRuns(app, sha, "in_progress", null);
			String deployId = deploy(app, sha);
			awaitCalls(() -> created(app, "/releases") == 1);
			Thread.sleep(1_000);
			stack.kill("release-tagger");
			stack.restart("release-tagger");
			checkRuns(app, sha, "completed", "success");
			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertExactlyOnce(app, deployId);
		});
	}

	@Test
	@Order(3)
	void changelogPosterKilledWhilePostingFindsItsMessageAfterRestartAndPostsOnce() throws Exception {
		fault(() -> {
			String app = "kill-changelog";
			// Slack takes the message, then is slow to answer: the poster dies between
			// the side effect and its commit, the case a restart must not repeat.
			outside.server()
				.stubFor(post("/api/chat.postMessage").withFormParam("channel", equalTo("C0CHANGES"))
					.withRequestBody(containing(app))
					.willReturn(OutsideStubs.remembered().withFixedDelay(8_000)));
			String deployId = deploy(app, sha());
			awaitCalls(() -> served("/api/chat.postMessage").stream()
				.anyMatch((event) -> form(event, "channel").equals("C0CHANGES") && body(event).contains(app)));
			stack.kill("changelog-poster");
			stack.restart("changelog-poster");
			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertExactlyOnce(app, deployId);
		});
	}

	@Test
	@Order(4)
	void rolloutServiceKilledMidRolloutFollowsTheSameDeploymentAfterRestart() throws Exception {
		fault(() -> midRollout("kill-rollout", () -> {
			stack.kill("rollout-service");
			stack.restart("rollout-service");
		}));
	}

	@Test
	@Order(5)
	void theBrokerStoppedForTwentySecondsMidRolloutLosesNothing() throws Exception {
		fault(() -> midRollout("broker-down", () -> {
			stack.broker("stop");
			Thread.sleep(20_000);
			stack.broker("start");
		}));
	}

	@Test
	@Order(6)
	void oneOfThreeBrokersKilledMidRolloutLosesNothing() throws Exception {
		fault(() -> {
			// The rollout ends while the node is down; it comes back after.
			midRollout("broker-killed", () -> {
				stack.broker("kill", "1");
				Thread.sleep(3_000);
			});
			stack.broker("start");
		});
	}

	@Test
	@Order(7)
	void gitHubAnswering502ThriceThenASecondaryRateLimitStillTagsOnce() throws Exception {
		fault(() -> {
			String app = "github-faults";
			String tags = "/repos/stop-bob/" + app + "/git/tags";
			WireMockServer github = outside.server();
			for (int i = 0; i < 3; i++) {
				github.stubFor(post(urlPathEqualTo(tags)).inScenario(app)
					.whenScenarioStateIs((i == 0) ? Scenario.STARTED : "502-" + i)
					.willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"))
					.willSetStateTo("502-" + (i + 1)));
			}
			github.stubFor(post(urlPathEqualTo(tags)).inScenario(app)
				.whenScenarioStateIs("502-3")
				.willReturn(aResponse().withStatus(403)
					.withHeader("Retry-After", "1")
					.withHeader("Content-Type", "application/json")
					.withBody("{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes "
							+ "before you try again.\",\"documentation_url\":\"https://docs.github.com/rest\"}"))
				.willSetStateTo("calm"));
			github.stubFor(post(urlPathEqualTo(tags)).inScenario(app)
				.whenScenarioStateIs("calm")
				.willReturn(OutsideStubs.created(
						"""
								{"sha":"7a907a907a907a907a907a907a907a907a907a90","tag":"t","object":{"sha":"x","type":"commit"}}""")));
			String deployId = deploy(app, sha());
			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertThat(calls("POST", tags)).isEqualTo(5);
			assertExactlyOnce(app, deployId);
		});
	}

	@Test
	@Order(8)
	void slackAnswering429AndAFailingUpdateStillReportsEveryStepOnce() throws Exception {
		fault(() -> {
			String app = "slack-faults";
			WireMockServer slack = outside.server();
			slack.stubFor(post("/api/chat.postMessage").withRequestBody(containing(app))
				.inScenario(app)
				.whenScenarioStateIs(Scenario.STARTED)
				.willReturn(aResponse().withStatus(429)
					.withHeader("Retry-After", "1")
					.withHeader("Content-Type", "application/json")
					.withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
				.willSetStateTo("answered"));
			slack.stubFor(post("/api/chat.update").withRequestBody(containing(app))
				.willReturn(okJson("{\"ok\":false,\"error\":\"message_not_found\"}")));
			String deployId = deploy(app, sha());
			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertThat(served("/api/chat.postMessage").stream()
				.filter((event) -> body(event).contains(app))
				.filter((event) -> event.getResponse().getStatus() == 429)).hasSize(1);
			assertExactlyOnce(app, deployId);
		});
	}

	@Test
	@Order(9)
	void codeDeployThrottlingThenHalfTheFleetFailingIsRolledBackAndSaysWhy() throws Exception {
		fault(() -> {
			String app = "codedeploy-faults";
			String deployment = "d-HALFFAIL1";
			WireMockServer aws = outside.server();
			aws.stubFor(
					codedeploy("CreateDeployment").withRequestBody(containing("\"applicationName\":\"" + app + "\""))
						.inScenario(app)
						.whenScenarioStateIs(Scenario.STARTED)
						.willReturn(aResponse().withStatus(400)
							.withHeader("Content-Type", "application/x-amz-json-1.1")
							.withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"))
						.willSetStateTo("calm"));
			aws.stubFor(
					codedeploy("CreateDeployment").withRequestBody(containing("\"applicationName\":\"" + app + "\""))
						.inScenario(app)
						.whenScenarioStateIs("calm")
						.willReturn(OutsideStubs.createdDeployment(deployment)));
			aws.stubFor(codedeploy("GetDeployment").withRequestBody(containing(deployment))
				.willReturn(amzJson(deploymentInfo(deployment, app,
						"\"status\":\"Failed\",\"deploymentOverview\":{\"Pending\":0,\"InProgress\":0,\"Succeeded\":2,"
								+ "\"Failed\":2,\"Skipped\":0,\"Ready\":0},\"rollbackInfo\":{\"rollbackDeploymentId\":"
								+ "\"d-ROLLBACK9\",\"rollbackMessage\":\"Automatic rollback\"},\"errorInformation\":"
								+ "{\"code\":\"HEALTH_CONSTRAINTS\",\"message\":\"too many individual instances failed\"}"))));
			aws.stubFor(codedeploy("ListDeploymentTargets").withRequestBody(containing(deployment))
				.willReturn(amzJson("{\"targetIds\":[\"i-0bad1\",\"i-0bad2\"]}")));
			aws.stubFor(codedeploy("BatchGetDeploymentTargets").withRequestBody(containing(deployment))
				.willReturn(amzJson("""
						{"deploymentTargets":[{"deploymentTargetType":"InstanceTarget","instanceTarget":{
						  "deploymentId":"%s","targetId":"i-0bad1","status":"Failed","lifecycleEvents":[
						   {"lifecycleEventName":"ValidateService","status":"Failed",
						    "diagnostics":{"errorCode":"ScriptFailed","message":"health check answered 503"}}]}}]}"""
					.formatted(deployment))));
			String deployId = deploy(app, sha());
			String outcome = stack.awaitOutcome(deployId, DEPLOY_TIMEOUT);
			assertThat(outcome).contains("\"outcome\":\"ROLLED_BACK\"").contains("i-0bad1 failed ValidateService");
			assertThat(messages(deployId)).anySatisfy((text) -> assertThat(text).contains("rolled back"));
			assertExactlyOnce(app, deployId);
		});
	}

	@Test
	@Order(10)
	void aPoisonRecordOnEachTopicGoesToItsDeadLetterTopicWithItsReasonAndThePipelineGoesOn() throws Exception {
		fault(() -> {
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.stack.bootstrapServers()),
					new StringSerializer(), new ByteArraySerializer())) {
				byte[] unknownFingerprint = new byte[] { (byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0 };
				EventCodec codec = EventCodec.standard();
				for (PipelineEvent event : SampleEvents.deploy("d-unknown-app", new Target("no-such-app", "production"),
						sha(), Instant.now())) {
					SpecificRecord avro = EventMapping.toAvro(event);
					String topic = Topics.topicOf(avro.getClass());
					producer.send(new ProducerRecord<>(topic, "poison/production", "garbage \u0000 bytes".getBytes()));
					producer.send(new ProducerRecord<>(topic, "poison/production", unknownFingerprint));
					producer.send(new ProducerRecord<>(topic, "no-such-app/production", codec.encode(avro)));
				}
				producer.flush();
			}
			for (String topic : Topics.pipeline()) {
				Awaitility.await()
					.atMost(Duration.ofSeconds(60))
					.untilAsserted(() -> assertThat(topics.on(Topics.deadLetter(topic)).map(TopicWatch.Seen::reason))
						.anySatisfy((reason) -> assertThat(reason).contains("NOT_SINGLE_OBJECT"))
						.anySatisfy((reason) -> assertThat(reason).contains("UNKNOWN_FINGERPRINT"))
						.anySatisfy((reason) -> assertThat(reason).contains("no-such-app is not in the catalog")));
			}
			// What bin/stop dlt list shows, and a retry: the cause is not fixed, so it
			// comes back.
			DeadLetters deadLetters = new DeadLetters(new Kafka(stack.stack.bootstrapServers()));
			List<DeadLetters.DeadLetter> letters = deadLetters.list();
			assertThat(letters).filteredOn((letter) -> letter.topic().equals("build-passed.DLT"))
				.anySatisfy((letter) -> assertThat(letter.reason()).contains("NOT_SINGLE_OBJECT"))
				.anySatisfy((letter) -> {
					assertThat(letter.deployId()).isEqualTo("d-unknown-app");
					assertThat(letter.reason()).contains("no-such-app is not in the catalog");
				});
			DeadLetters.DeadLetter unknownApp = letters.stream()
				.filter((letter) -> letter.topic().equals("build-passed.DLT")
						&& letter.deployId().equals("d-unknown-app"))
				.findFirst()
				.orElseThrow();
			deadLetters.retry(unknownApp.topic(), unknownApp.offset(), unknownApp.partition());
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(
						topics.on("build-passed.DLT").filter((seen) -> "no-such-app/production".equals(seen.key())))
					.hasSizeGreaterThanOrEqualTo(2));
			String deployId = deploy("poison", sha());
			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertExactlyOnce("poison", deployId);
		});
	}

	@Test
	@Order(11)
	void twentyRequestsAtOnceForOneTargetRunExactlyOneDeploy() throws Exception {
		fault(() -> {
			ExecutorService pool = Executors.newFixedThreadPool(20);
			List<Future<HttpResponse<String>>> answers = new ArrayList<>();
			try {
				for (int i = 0; i < 20; i++) {
					String sha = sha();
					answers.add(pool.submit(() -> stack.request("busy", "production", sha, "U0ANN")));
				}
				List<HttpResponse<String>> responses = new ArrayList<>();
				for (Future<HttpResponse<String>> answer : answers) {
					responses.add(answer.get());
				}
				List<HttpResponse<String>> accepted = responses.stream()
					.filter((response) -> response.statusCode() == 202)
					.toList();
				assertThat(accepted).hasSize(1);
				assertThat(responses).filteredOn((response) -> response.statusCode() == 409)
					.hasSize(19)
					.allSatisfy((response) -> assertThat(response.body()).contains("busy/production is busy"));
				String deployId = SystemStack.deployId(accepted.get(0).body());
				deploys.add(deployId);
				assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
				assertExactlyOnce("busy", deployId);
			}
			finally {
				pool.shutdownNow();
			}
		});
	}

	@Test
	@Order(13)
	void slackRefusingConnectionsMidDeployLosesNoMessageAndPostsEachOnceWhenItIsBack() throws Exception {
		fault(() -> {
			String app = "slack-away";
			String deployment = holdRollout(app);
			String deployId = deploy(app, sha());
			awaitCalls(() -> deployments(app) == 1);
			awaitCalls(() -> messageKeys(deployId).contains(deployId + ":progress"));
			List<StubMapping> away = slackAway();
			try {
				releaseRollout(deployment, app);
				// The deploy ends while Slack is away: the ledger has it, the thread not
				// yet.
				assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
				Thread.sleep(SLACK_OUTAGE.toMillis());
				assertThat(messageKeys(deployId)).doesNotContain(deployId + ":end");
			}
			finally {
				away.forEach(outside.server()::removeStub);
			}

			awaitCalls(() -> messageKeys(deployId).contains(deployId + ":dm"));
			assertExactlyOnce(app, deployId);
			assertThat(messageKeys(deployId)).containsOnlyOnce(deployId + ":start", deployId + ":tag",
					deployId + ":build", deployId + ":progress", deployId + ":end", deployId + ":announce",
					deployId + ":dm");
			assertThat(served("/api/chat.update")).as("the progress message edited to the end")
				.anySatisfy((event) -> assertThat(form(event, "text")).contains("4/4 instances done"));
		});
	}

	@Test
	@Order(14)
	void gitHubAnswering503WhenARequestArrivesTagsItOnceWhenBackAndHoldsUpNoOtherTarget() throws Exception {
		fault(() -> {
			String app = "github-away";
			String other = "github-other";
			String first = deploy(other, sha());
			assertThat(stack.awaitOutcome(first, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			String second = deploy(other, sha());
			assertThat(stack.awaitOutcome(second, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			StubMapping away = outside.server()
				.stubFor(any(urlPathMatching("/repos/stop-bob/" + app + "(/.*)?")).atPriority(1)
					.willReturn(aResponse().withStatus(503).withBody("<html>Service Unavailable</html>")));
			Instant down = Instant.now();
			String deployId;
			try {
				deployId = deploy(app, sha());
				HttpResponse<String> rollback = stack.rollback(other, "production", "U0ANN");
				assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(202);
				String rollbackId = SystemStack.deployId(rollback.body());
				deploys.add(rollbackId);
				String rolledBack = stack.awaitOutcome(rollbackId, DEPLOY_TIMEOUT);
				assertThat(rolledBack).contains("\"outcome\":\"SUCCEEDED\"").contains("\"reused\":true");
				assertThat(Duration.between(down, Instant.now())).as("the rollback waited for nobody")
					.isLessThan(GITHUB_OUTAGE);
				assertThat(stack.show(deployId)).as("waiting for GitHub").doesNotContain("\"outcome\"");
				Thread.sleep(Math.max(0, GITHUB_OUTAGE.minus(Duration.between(down, Instant.now())).toMillis()));
				assertThat(created(app, "/git/refs")).isZero();
			}
			finally {
				outside.server().removeStub(away);
			}
			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertExactlyOnce(app, deployId);
		});
	}

	@Test
	@Order(15)
	void theWholeBrokerClusterAwayWhileReleaseTaggerPublishesTagCreatedLosesNothing() throws Exception {
		fault(() -> {
			String app = "broker-away";
			// GitHub makes the release, then answers late: the brokers go in between.
			outside.server()
				.stubFor(post(urlPathEqualTo("/repos/stop-bob/" + app + "/releases")).atPriority(1)
					.willReturn(OutsideStubs.remembered().withFixedDelay(5_000)));
			String deployId = deploy(app, sha());
			awaitCalls(() -> calls("POST", "/repos/stop-bob/" + app + "/releases") == 1);
			stack.broker("stop");
			Thread.sleep(BROKER_OUTAGE.toMillis());
			stack.broker("start");

			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertExactlyOnce(app, deployId);
			assertThat(messages(deployId)).noneSatisfy((text) -> assertThat(text).contains("Nothing was changed"));
		});
	}

	@Test
	@Order(16)
	void codeDeployAnswering503MidRolloutIsFollowedToItsEndOnceItIsBack() throws Exception {
		fault(() -> {
			String app = "codedeploy-away";
			String deployment = holdRollout(app);
			String deployId = deploy(app, sha());
			awaitCalls(() -> deployments(app) == 1);
			StubMapping away = outside.server()
				.stubFor(codedeploy("GetDeployment").withRequestBody(containing(deployment))
					.atPriority(1)
					.willReturn(aResponse().withStatus(503)
						.withHeader("Content-Type", "application/x-amz-json-1.1")
						.withBody("{\"__type\":\"ServiceUnavailableException\",\"message\":\"try later\"}")));
			try {
				releaseRollout(deployment, app);
				Thread.sleep(CODEDEPLOY_OUTAGE.toMillis());
				assertThat(stack.show(deployId)).doesNotContain("\"outcome\"");
			}
			finally {
				outside.server().removeStub(away);
			}

			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertExactlyOnce(app, deployId);
		});
	}

	@Test
	@Order(17)
	void anAppRemovedFromTheCatalogIsHistoryAfterEveryServiceRestartsAndNothingGoesToTheDlt() throws Exception {
		fault(() -> {
			String removed = deploy("removed", sha());
			assertThat(stack.awaitOutcome(removed, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			Thread.sleep(6_000);
			Map<String, Long> deadLetters = deadLetterCounts();

			writeCatalog(APPS.stream().filter((app) -> !app.equals("removed")).toList());
			for (String service : Stack.SERVICES) {
				stack.stop(service);
				stack.restart(service);
			}

			String deployId = deploy("after-removal", sha());
			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertExactlyOnce("after-removal", deployId);
			assertThat(deadLetterCounts()).isEqualTo(deadLetters);
		});
	}

	@Test
	@Order(18)
	void rolloutServiceDownWhileANewTargetPassesCiOnAPartitionItsGroupNeverCommittedRollsItOutOnStart()
			throws Exception {
		fault(() -> {
			String app = "new-target";
			stack.stop("rollout-service");
			// The group's positions gone, as if it had never committed (or they expired).
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.stack.bootstrapServers()))) {
				Set<TopicPartition> partitions = new java.util.HashSet<>();
				for (String topic : Topics.pipeline()) {
					for (int partition = 0; partition < 2; partition++) {
						partitions.add(new TopicPartition(topic, partition));
					}
				}
				admin.deleteConsumerGroupOffsets("rollout-service", partitions).all().get();
			}
			String deployId = deploy(app, sha());
			Awaitility.await()
				.atMost(DEPLOY_TIMEOUT)
				.until(() -> topics.on(Topics.BUILD_PASSED).anyMatch((seen) -> deployId.equals(seen.deployId())));

			stack.restart("rollout-service");

			assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			assertExactlyOnce(app, deployId);
		});
	}

	@Test
	@Order(19)
	void withTwoInstancesOfEveryServiceALockSetThroughOneRefusesADeployAskedThroughTheOther() throws Exception {
		fault(() -> {
			for (String service : Stack.SERVICES) {
				stack.startInstance(service, 2);
			}
			String locked = stack.slash("slack-ingress", "U0ANN", "lock scaled-lock production incident 7");
			assertThat(locked).contains("locked scaled-lock/production");
			// The other instance reads the lock from target-operations within moments.
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> stack.slash(SECOND_INGRESS, "U0ANN", "status scaled-lock").contains(":lock:"));

			HttpResponse<String> api = stack.api(SECOND_INGRESS, SystemStack.tokenOf("U0ANN"),
					"{\"app\":\"scaled-lock\",\"environment\":\"production\",\"sha\":\"" + sha() + "\"}");
			assertThat(api.statusCode()).isEqualTo(409);
			assertThat(api.body()).contains("scaled-lock/production is locked by U0ANN").contains("incident 7");
			assertThat(stack.slash(SECOND_INGRESS, "U0ANN", "deploy scaled-lock production " + sha()))
				.contains("locked by U0ANN");
			assertThat(topics.on(Topics.DEPLOY_REQUESTED).filter((seen) -> "scaled-lock/production".equals(seen.key())))
				.as("requests that reached the pipeline")
				.isEmpty();

			assertThat(stack.slash(SECOND_INGRESS, "U0ANN", "unlock scaled-lock production")).contains("unlocked");
			String lockDeploy = deployThrough(SECOND_INGRESS, "scaled-lock", sha());
			String statusDeploy = deployThrough("slack-ingress", "scaled-status", sha());
			for (String deployId : List.of(lockDeploy, statusDeploy)) {
				assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
			}
			assertExactlyOnce("scaled-lock", lockDeploy);
			assertExactlyOnce("scaled-status", statusDeploy);

			// Either instance answers for every target, whichever partition it owns.
			for (String app : List.of("scaled-lock", "scaled-status")) {
				String first = stack.slash("slack-ingress", "U0ANN", "status " + app);
				assertThat(first).contains("production");
				assertThat(stack.slash(SECOND_INGRESS, "U0ANN", "status " + app)).isEqualTo(first);
			}
			for (String instance : List.of("slack-ingress", SECOND_INGRESS)) {
				HttpResponse<String> dashboard = stack.get(instance, "/");
				assertThat(dashboard.statusCode()).isEqualTo(200);
				assertThat(dashboard.body()).contains("scaled-lock").contains("scaled-status");
				for (String deployId : List.of(lockDeploy, statusDeploy)) {
					assertThat(stack.get(instance, "/api/deploys/" + deployId).body())
						.contains("\"outcome\":\"SUCCEEDED\"");
				}
			}
		});
	}

	@Test
	@Order(20)
	void anApprovalRequestedThroughOneInstanceIsApprovedThroughTheOther() throws Exception {
		fault(() -> {
			HttpResponse<String> asked = stack.api("slack-ingress", SystemStack.tokenOf("U0ANN"),
					"{\"app\":\"scaled-approval\",\"environment\":\"production\",\"sha\":\"" + sha() + "\"}");
			assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
			assertThat(asked.body()).contains("awaitingApprovalUntil");
			String deployId = SystemStack.deployId(asked.body());
			deploys.add(deployId);

			HttpResponse<String> pressed = stack.press(SECOND_INGRESS, "U0BOB", "stop_approve", deployId,
					outside.server().baseUrl() + "/slack/response");
			assertThat(pressed.statusCode()).isEqualTo(200);

			String outcome = stack.awaitOutcome(deployId, DEPLOY_TIMEOUT);
			assertThat(outcome).contains("\"outcome\":\"SUCCEEDED\"").contains("U0BOB");
			assertExactlyOnce("scaled-approval", deployId);
		});
	}

	@Test
	@Order(21)
	void oneInstanceOfEachServiceKilledMidDeployHandsItsTargetsToTheOtherAndEveryDeployEndsOnce() throws Exception {
		fault(() -> {
			List<String> apps = List.of("scaled-kill-a", "scaled-kill-b");
			Map<String, String> held = new java.util.LinkedHashMap<>();
			for (String app : apps) {
				held.put(app, holdRollout(app));
			}
			Map<String, String> deployIds = new java.util.LinkedHashMap<>();
			for (String app : apps) {
				deployIds.put(app, deployThrough(SECOND_INGRESS, app, sha()));
			}
			awaitCalls(() -> apps.stream().allMatch((app) -> deployments(app) == 1));
			Thread.sleep(1_500);
			for (String service : Stack.SERVICES) {
				stack.kill(Stack.instance(service, 2));
			}
			held.forEach((app, deployment) -> releaseRollout(deployment, app));
			for (String app : apps) {
				assertThat(stack.awaitOutcome(deployIds.get(app), DEPLOY_TIMEOUT))
					.contains("\"outcome\":\"SUCCEEDED\"");
				assertExactlyOnce(app, deployIds.get(app));
			}
		});
	}

	/**
	 * A deploy held in its rollout (CodeDeploy says in progress) while the fault happens;
	 * then the rollout ends, and the deploy must succeed with every side effect once.
	 */
	private static void midRollout(String app, ThrowingRunnable fault) throws Exception {
		String deployment = holdRollout(app);
		String deployId = deploy(app, sha());
		awaitCalls(() -> deployments(app) == 1);
		Thread.sleep(1_500);
		fault.run();
		releaseRollout(deployment, app);
		assertThat(stack.awaitOutcome(deployId, DEPLOY_TIMEOUT)).contains("\"outcome\":\"SUCCEEDED\"");
		assertExactlyOnce(app, deployId);
	}

	/** The app's CodeDeploy deployment stays in progress until released; its id. */
	private static String holdRollout(String app) {
		String deployment = "d-" + app.replace("-", "").toUpperCase();
		outside.server()
			.stubFor(codedeploy("CreateDeployment").withRequestBody(containing("\"applicationName\":\"" + app + "\""))
				.willReturn(OutsideStubs.createdDeployment(deployment)));
		outside.server()
			.stubFor(codedeploy("GetDeployment").withRequestBody(containing(deployment))
				.willReturn(amzJson(deploymentInfo(deployment, app, "\"status\":\"InProgress\",\"deploymentOverview\":"
						+ "{\"Pending\":2,\"InProgress\":2,\"Succeeded\":0,\"Failed\":0,\"Skipped\":0,\"Ready\":0}"))));
		return deployment;
	}

	private static void releaseRollout(String deployment, String app) {
		outside.server()
			.stubFor(codedeploy("GetDeployment").withRequestBody(containing(deployment))
				.willReturn(amzJson(deploymentInfo(deployment, app, "\"status\":\"Succeeded\",\"deploymentOverview\":"
						+ "{\"Pending\":0,\"InProgress\":0,\"Succeeded\":4,\"Failed\":0,\"Skipped\":0,\"Ready\":0}"))));
	}

	private static String deploymentInfo(String deployment, String app, String fields) {
		return "{\"deploymentInfo\":{\"deploymentId\":\"" + deployment + "\",\"applicationName\":\"" + app
				+ "\",\"deploymentGroupName\":\"production\",\"deploymentConfigName\":"
				+ "\"CodeDeployDefault.HalfAtATime\"," + fields + "}}";
	}

	/**
	 * Slack refusing every connection but the one it answers at start; undone by removing
	 * them.
	 */
	private static List<StubMapping> slackAway() {
		List<StubMapping> stubs = new ArrayList<>();
		for (String method : List.of("chat.postMessage", "chat.update", "conversations.replies",
				"conversations.history", "conversations.open")) {
			stubs.add(outside.server()
				.stubFor(post("/api/" + method).atPriority(1)
					.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))));
		}
		return stubs;
	}

	private static Path writeCatalog(List<String> apps) throws Exception {
		StringBuilder catalog = new StringBuilder("apps:\n");
		for (String app : apps) {
			catalog.append(app.equals("scaled-approval") ? SystemStack.codeDeployApp(app, "[U0ANN, U0BOB]", "[build]",
					"        approval: { required: true }\n") : SystemStack.codeDeployApp(app));
		}
		return Files.writeString(stack.home.resolve("catalog.yml"), catalog.toString());
	}

	private static Map<String, Long> deadLetterCounts() {
		Map<String, Long> counts = new java.util.TreeMap<>();
		Topics.pipeline().forEach((topic) -> counts.put(topic, topics.count(Topics.deadLetter(topic))));
		return counts;
	}

	private static void checkRuns(String app, String sha, String status, String conclusion) {
		outside.server()
			.stubFor(get(urlPathEqualTo("/repos/stop-bob/" + app + "/commits/" + sha + "/check-runs"))
				.willReturn(okJson("""
						{"total_count":1,"check_runs":[{"id":4,"name":"build","head_sha":"%s","status":"%s",
						 "conclusion":%s,"html_url":"https://github.com/stop-bob/%s/runs/4","check_suite":{"id":5}}]}"""
					.formatted(sha, status, (conclusion != null) ? "\"" + conclusion + "\"" : "null", app))));
	}

	private static String deploy(String app, String sha) throws Exception {
		String deployId = stack.deploy(app, "production", sha, "U0ANN");
		deploys.add(deployId);
		return deployId;
	}

	/** A deploy asked as U0ANN through this instance of slack-ingress; its id. */
	private static String deployThrough(String instance, String app, String sha) throws Exception {
		HttpResponse<String> response = stack.api(instance, SystemStack.tokenOf("U0ANN"),
				"{\"app\":\"" + app + "\",\"environment\":\"production\",\"sha\":\"" + sha + "\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		String deployId = SystemStack.deployId(response.body());
		deploys.add(deployId);
		return deployId;
	}

	/**
	 * Every outside change of the deploy happened once: one tag, ref, release, CodeDeploy
	 * deployment and changelog, and no Slack message (by its metadata key) posted twice;
	 * and the deploy finished once on the topic.
	 */
	private static void assertExactlyOnce(String app, String deployId) throws Exception {
		Thread.sleep(1_500);
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(changelogs(deployId))
				.as("changelogs of %s; calls: %s", deployId, callsOf(app, deployId))
				.isEqualTo(1));
		assertThat(created(app, "/git/refs")).as("tags (refs) of " + app).isEqualTo(1);
		assertThat(created(app, "/releases")).as("releases of " + app).isEqualTo(1);
		assertThat(deployments(app)).as("CodeDeploy deployments of " + app).isEqualTo(1);
		List<String> keys = messageKeys(deployId);
		assertThat(keys).as("Slack messages of " + deployId).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(4);
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(topics.finishes(deployId)).as("deploy-finished records").isEqualTo(1));
	}

	private static long created(String app, String path) {
		return outside.served()
			.stream()
			.filter((event) -> event.getRequest().getMethod().getName().equals("POST")
					&& event.getRequest().getUrl().equals("/repos/stop-bob/" + app + path)
					&& event.getResponse().getStatus() == 201)
			.count();
	}

	/** What the outside saw of the app or the deploy, for a failure's message. */
	private static List<String> callsOf(String app, String deployId) {
		return outside.served()
			.stream()
			.filter((event) -> event.getRequest().getUrl().contains("/" + app + "/") || body(event).contains(app)
					|| body(event).contains(deployId))
			.map((event) -> event.getRequest().getMethod() + " " + event.getRequest().getUrl() + " "
					+ event.getRequest().getHeader("X-Amz-Target") + " -> " + event.getResponse().getStatus())
			.toList();
	}

	private static long deployments(String app) {
		return outside.served()
			.stream()
			.filter((event) -> "CodeDeploy_20141006.CreateDeployment"
				.equals(event.getRequest().getHeader("X-Amz-Target"))
					&& body(event).contains("\"applicationName\":\"" + app + "\"")
					&& event.getResponse().getStatus() == 200)
			.count();
	}

	private static long calls(String method, String url) {
		return outside.served()
			.stream()
			.filter((event) -> event.getRequest().getMethod().getName().equals(method)
					&& event.getRequest().getUrl().startsWith(url))
			.count();
	}

	/** Messages posted (answered ok) for the deploy, by their metadata key. */
	private static List<String> messageKeys(String deployId) {
		Pattern key = Pattern.compile("\"key\":\"([^\"]+)\"");
		return posted(deployId).stream().map((event) -> {
			Matcher found = key.matcher(form(event, "metadata"));
			return found.find() ? found.group(1) : "no key";
		}).toList();
	}

	private static List<String> messages(String deployId) {
		return posted(deployId).stream().map((event) -> form(event, "text") + " " + form(event, "blocks")).toList();
	}

	private static long changelogs(String deployId) {
		return posted(deployId).stream().filter((event) -> "C0CHANGES".equals(form(event, "channel"))).count();
	}

	private static List<ServeEvent> posted(String deployId) {
		return served("/api/chat.postMessage").stream()
			.filter((event) -> event.getResponse().getStatus() == 200
					&& event.getResponse().getBodyAsString().matches("(?s).*\"ok\"\\s*:\\s*true.*")
					&& form(event, "metadata").contains("\"" + deployId + "\""))
			.toList();
	}

	private static List<ServeEvent> served(String url) {
		return outside.served().stream().filter((event) -> event.getRequest().getUrl().equals(url)).toList();
	}

	private static String form(ServeEvent event, String name) {
		var parameter = event.getRequest().formParameters().get(name);
		return (parameter != null) ? parameter.firstValue() : "";
	}

	private static String body(ServeEvent event) {
		return event.getRequest().getBodyAsString();
	}

	private static void awaitCalls(Callable<Boolean> condition) {
		Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(condition);
	}

	private static void fault(ThrowingRunnable body) throws Exception {
		tried++;
		body.run();
		survived++;
	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run() throws Exception;

	}

}
