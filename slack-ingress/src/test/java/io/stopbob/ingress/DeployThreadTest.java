package io.stopbob.ingress;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.DeployStage;
import io.stopbob.events.InstanceCounts;
import io.stopbob.events.RolloutState;
import io.stopbob.schemas.EventMother;
import org.apache.avro.specific.SpecificRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipeline events on the real topics become the deploy's Slack thread, as Slack receives
 * it.
 */
class DeployThreadTest extends IngressTest {

	private static final String THREAD_TS = "1764169620.000100";

	@Autowired
	private KafkaListenerEndpointRegistry listeners;

	@Test
	void aDeployBecomesTagBuildOneProgressMessageAndTheOutcomeInThreadAndChannel() {
		String deployId = newDeployId();
		List<SpecificRecord> events = story(deployId);

		publishInOrder(events);

		List<ServeEvent> posts = awaitCalls("chat.postMessage", deployId, 6);
		assertThat(posts).extracting(this::text)
			.satisfiesExactly(
					(tag) -> assertThat(tag).startsWith(":label: tagged `production-20261126-150700-3f9c2a1`"),
					(build) -> assertThat(build)
						.startsWith(":white_check_mark: build passed: build, test on github-checks"),
					(progress) -> assertThat(progress).startsWith(":rocket: rolling out: 0/4 instances done"),
					(end) -> assertThat(end).startsWith(":tada: demo `3f9c2a1` is live on production in 1m 30s"),
					(announce) -> assertThat(announce).startsWith(":tada: demo `3f9c2a1` is live on production"),
					(direct) -> assertThat(direct).startsWith("Your deploy " + deployId + " ended. :tada:"));
		assertThat(posts.subList(0, 4)).allSatisfy((post) -> assertThat(form(post, "thread_ts")).isEqualTo(THREAD_TS));
		assertThat(form(posts.get(4), "thread_ts")).isNull();
		assertThat(posts.subList(0, 5)).allSatisfy((post) -> assertThat(form(post, "channel")).isEqualTo("C0DEPLOYS"));
		assertThat(form(posts.get(5), "channel")).as("a direct message to the requester").isEqualTo("U012AB3CD");
		String progressTs = ts(posts.get(2));
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> updatesOf(progressTs).size() >= 2);
		assertThat(updatesOf(progressTs)).extracting(this::text)
			.satisfiesExactly(
					(half) -> assertThat(half).startsWith(":rocket: rolling out: 2/4 instances done · batch 2 of 2"),
					(all) -> assertThat(all).startsWith(":rocket: rolling out: 4/4 instances done"));
	}

	private static List<ServeEvent> updatesOf(String ts) {
		return calls("chat.update", "").stream().filter((update) -> ts.equals(form(update, "ts"))).toList();
	}

	@Test
	void theSameEventsDeliveredAgainPostNothingNew() {
		String deployId = newDeployId();
		List<SpecificRecord> events = story(deployId);
		publishInOrder(events);
		awaitCalls("chat.postMessage", deployId, 6);

		// A finished deploy no longer knows every event id it saw: the next story, on the
		// same partitions after these, shows they were read.
		events.forEach(this.publisher::publish);
		this.listeners.getListenerContainer("slack-ingress-threads").stop();
		this.listeners.getListenerContainer("slack-ingress-threads").start();
		String other = newDeployId();
		publishInOrder(story(other));
		awaitCalls("chat.postMessage", other, 6);

		assertThat(slackCalls("chat.postMessage", deployId)).hasSize(6);
	}

	@Test
	void aSlackRateLimitIsWaitedOutAndTheMessagePostedOnce() {
		String deployId = newDeployId();
		slack.stubFor(post("/api/chat.postMessage").withRequestBody(containing(deployId + "%3Atag"))
			.inScenario(deployId)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
			.willSetStateTo("calm"));
		slack.stubFor(post("/api/chat.postMessage").withRequestBody(containing(deployId + "%3Atag"))
			.inScenario(deployId)
			.whenScenarioStateIs("calm")
			.willReturn(okJson("{\"ok\":true,\"channel\":\"C0DEPLOYS\",\"ts\":\"1764169621.000200\"}")));

		publishInOrder(story(deployId));

		List<ServeEvent> posts = awaitCalls("chat.postMessage", deployId, 7);
		assertThat(posts.stream().filter((post) -> post.getResponse().getStatus() == 429)).hasSize(1);
		assertThat(posts.stream().filter((post) -> post.getResponse().getStatus() == 200)).extracting(this::text)
			.filteredOn((text) -> text.startsWith(":label: tagged"))
			.hasSize(1);
	}

	/**
	 * Publishes each event once the one before it has been consumed, as the pipeline
	 * produces them: stages minutes apart, not all at once across five topics.
	 */
	private void publishInOrder(List<SpecificRecord> events) {
		for (SpecificRecord event : events) {
			this.publisher.publish(event);
			var meta = io.stopbob.schemas.Events.meta(event);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> this.ledger.find(meta.getDeployId())
					.map((deploy) -> deploy.hasSeen(meta.getEventId()))
					.orElse(false));
		}
	}

	private List<SpecificRecord> story(String deployId) {
		var meta = EventMother.meta(deployId).setApp("demo").setEnvironment("production");
		Instant start = Instant.now().minusSeconds(90);
		return List.of(
				EventMother.deployRequested(deployId)
					.setMeta(meta.setEventId(UUID.randomUUID().toString()).setOccurredAt(start).build())
					.setSlackChannel("C0DEPLOYS")
					.setSlackThreadTs(THREAD_TS)
					.build(),
				EventMother.tagCreated(deployId)
					.setMeta(meta.setEventId(UUID.randomUUID().toString()).build())
					.setTag("production-20261126-150700-3f9c2a1")
					.build(),
				EventMother.buildPassed(deployId)
					.setMeta(meta.setEventId(UUID.randomUUID().toString()).build())
					.build(),
				progress(meta, 0, 2, 1, start.plusSeconds(30)), progress(meta, 2, 2, 2, start.plusSeconds(40)),
				progress(meta, 4, 0, 2, start.plusSeconds(50)),
				EventMother.deployFinished(deployId)
					.setMeta(meta.setEventId(UUID.randomUUID().toString()).setOccurredAt(start.plusSeconds(90)).build())
					.setOutcome(DeployOutcome.SUCCEEDED)
					.setStage(DeployStage.ROLLOUT)
					.setDurationMillis(90_000L)
					.build());
	}

	private static SpecificRecord progress(io.stopbob.events.EventMeta.Builder meta, int done, int inProgress,
			int batch, Instant at) {
		return EventMother.rolloutProgress(meta.getDeployId())
			.setMeta(meta.setEventId(UUID.randomUUID().toString()).setOccurredAt(at).build())
			.setState(RolloutState.IN_PROGRESS)
			.setInstances(InstanceCounts.newBuilder()
				.setTotal(4)
				.setSucceeded(done)
				.setFailed(0)
				.setInProgress(inProgress)
				.setPending(4 - done - inProgress)
				.build())
			.setCurrentBatch(batch)
			.setBatchCount(2)
			.build();
	}

	/**
	 * Calls of one Slack method mentioning {@code text}, oldest first, once there are
	 * {@code count}.
	 */
	private static List<ServeEvent> awaitCalls(String method, String text, int count) {
		try {
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> calls(method, text).size() >= count);
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			throw new AssertionError("expected " + count + " Slack " + method + " calls mentioning " + text
					+ "; the newest calls Slack had: "
					+ slack.getAllServeEvents()
						.stream()
						.limit(12)
						.map((event) -> event.getRequest().getUrl() + " " + event.getResponse().getStatus() + " "
								+ java.net.URLDecoder.decode(event.getRequest().getBodyAsString(),
										java.nio.charset.StandardCharsets.UTF_8))
						.toList(),
					ex);
		}
		return calls(method, text);
	}

	private static List<ServeEvent> calls(String method, String text) {
		return slack.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getUrl().equals("/api/" + method)
					&& event.getRequest().getBodyAsString().contains(text))
			.collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(),
					(newestFirst) -> {
						java.util.Collections.reverse(newestFirst);
						return newestFirst;
					}));
	}

	private String text(ServeEvent event) {
		return form(event, "text");
	}

	private static String ts(ServeEvent post) {
		String body = post.getResponse().getBodyAsString();
		return body.replaceAll(".*\"ts\":\"([0-9.]+)\".*", "$1");
	}

	private static String form(ServeEvent event, String name) {
		var parameter = event.getRequest().formParameters().get(name);
		return (parameter != null) ? parameter.firstValue() : null;
	}

	private static String newDeployId() {
		return "d-test-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
