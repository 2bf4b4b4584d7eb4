package io.stopbob.changelog;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.stopbob.events.DeployKind;
import io.stopbob.events.TagCreated;
import io.stopbob.schemas.EventMother;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

class ChangelogPostTest extends PosterTest {

	@org.springframework.beans.factory.annotation.Autowired
	private org.springframework.kafka.config.KafkaListenerEndpointRegistry listeners;

	@org.springframework.beans.factory.annotation.Autowired
	private io.micrometer.core.instrument.MeterRegistry meters;

	private static final String REPO = "/repos/stop-bob/demo";

	@Test
	void aReleaseIsPostedToTheChangelogChannelGroupedByPullRequest() {
		String deployId = github("squash");

		this.publisher.publish(tagCreated(deployId, DeployKind.DEPLOY));

		String blocks = form(awaitPosts(deployId, 1).get(0), "blocks");
		assertThat(form(awaitPosts(deployId, 1).get(0), "channel")).isEqualTo("C0CHANGES");
		assertThat(blocks)
			.contains("*Release* demo → staging: <https://github.com/stop-bob/demo/releases/tag/staging-1|staging-1>")
			.contains("<https://github.com/stop-bob/demo/pull/7|#7> Fix the signup form — Ann")
			.contains("<https://github.com/stop-bob/demo/pull/9|#9> Make it faster — octo-dev")
			.contains("`cccccc" + "c` Hotfix typo — Bob")
			.contains("4 commits by 3 people · <https://github.com/stop-bob/demo/compare/staging-0...");
	}

	@Test
	void theSameTagCreatedTwicePostsOnce() {
		String deployId = github("twice");
		TagCreated tagged = tagCreated(deployId, DeployKind.DEPLOY);

		this.publisher.publish(tagged);
		this.publisher.publish(tagged);
		awaitPosts(deployId, 1);
		// A restart of the consumer reads the topic again from the beginning: nothing is
		// posted again.
		this.listeners.getListenerContainer("changelog-poster").stop();
		this.listeners.getListenerContainer("changelog-poster").start();
		String other = github("after");
		this.publisher.publish(tagCreated(other, DeployKind.DEPLOY));
		awaitPosts(other, 1);

		assertThat(posts(deployId)).hasSize(1);
	}

	@Test
	void aChangelogThatCannotBePostedIsCountedAndTheNextOneStillGoesOut() {
		String refused = github("refused");
		stubs.stubFor(post("/api/chat.postMessage").withRequestBody(containing(refused))
			.willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));
		double before = this.meters.counter("stop.changelog.failures").count();

		this.publisher.publish(tagCreated(refused, DeployKind.DEPLOY));
		String next = github("next");
		this.publisher.publish(tagCreated(next, DeployKind.DEPLOY));

		awaitPosts(next, 1);
		assertThat(posts(refused)).hasSize(1);
		assertThat(this.meters.counter("stop.changelog.failures").count()).isEqualTo(before + 1);
	}

	@Test
	void aRollbackSaysSoAtTheTop() {
		String deployId = github("rollback");

		this.publisher.publish(tagCreated(deployId, DeployKind.ROLLBACK));

		assertThat(form(awaitPosts(deployId, 1).get(0), "blocks")).contains("*Rollback* of demo → staging")
			.contains("Taking out 4 commits");
	}

	@Test
	void aSlackRateLimitIsWaitedOutAndTheChangelogPostedOnce() {
		String deployId = github("limited");
		stubs.stubFor(post("/api/chat.postMessage").withRequestBody(containing(deployId))
			.inScenario(deployId)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
			.willSetStateTo("calm"));
		stubs.stubFor(post("/api/chat.postMessage").withRequestBody(containing(deployId))
			.inScenario(deployId)
			.whenScenarioStateIs("calm")
			.willReturn(okJson("{\"ok\":true,\"channel\":\"C0CHANGES\",\"ts\":\"1764169700.000100\"}")));

		this.publisher.publish(tagCreated(deployId, DeployKind.DEPLOY));

		List<ServeEvent> calls = awaitPosts(deployId, 2);
		assertThat(calls).extracting((call) -> call.getResponse().getStatus()).containsExactly(429, 200);
	}

	private static String github(String name) {
		String deployId = "d-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
		stubs.stubFor(get(urlPathEqualTo(REPO)).willReturn(okJson("""
				{"id":1,"name":"demo","full_name":"stop-bob/demo","owner":{"login":"stop-bob","id":1},
				 "html_url":"https://github.com/stop-bob/demo"}""")));
		stubs.stubFor(get(urlPathMatching(REPO + "/compare/.*")).willReturn(
				okJson("""
						{"url":"x","status":"ahead","ahead_by":4,"behind_by":0,"total_commits":4,
						 "base_commit":{"sha":"0000000000000000000000000000000000000000","commit":{"message":"Base","author":{"name":"Bob","email":"b@x","date":"2026-11-25T10:00:00Z"}}},
						 "merge_base_commit":{"sha":"0000000000000000000000000000000000000000","commit":{"message":"Base","author":{"name":"Bob","email":"b@x","date":"2026-11-25T10:00:00Z"}}},
						 "files":[],
						 "commits":[
						  {"sha":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","commit":{"message":"Validate emails","author":{"name":"Ann","email":"a@x","date":"2026-11-26T09:00:00Z"}}},
						  {"sha":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","commit":{"message":"Merge pull request #7 from ann/signup\\n\\nFix the signup form","author":{"name":"Ann","email":"a@x","date":"2026-11-26T09:10:00Z"}}},
						  {"sha":"cccccccccccccccccccccccccccccccccccccccc","commit":{"message":"Hotfix typo","author":{"name":"Bob","email":"b@x","date":"2026-11-26T09:20:00Z"}}},
						  {"sha":"dddddddddddddddddddddddddddddddddddddddd","commit":{"message":"Speed up the queries","author":{"name":"Cy","email":"c@x","date":"2026-11-26T09:30:00Z"}}}]}""")));
		stubs.stubFor(get(urlPathMatching(REPO + "/commits/[a-c]{40}/pulls")).willReturn(okJson("[]")));
		stubs.stubFor(get(urlPathEqualTo(REPO + "/commits/" + "d".repeat(40) + "/pulls")).willReturn(okJson("""
				[{"id":9,"number":9,"title":"Make it faster","state":"closed",
				  "html_url":"https://github.com/stop-bob/demo/pull/9","user":{"login":"octo-dev","id":5}}]""")));
		return deployId;
	}

	private static TagCreated tagCreated(String deployId, DeployKind kind) {
		return EventMother.tagCreated(deployId)
			.setTag("staging-1")
			.setReleaseUrl("https://github.com/stop-bob/demo/releases/tag/staging-1")
			.setPreviousTag("staging-0")
			.setSha("e".repeat(40))
			.setKind(kind)
			.build();
	}

	private static List<ServeEvent> awaitPosts(String deployId, int count) {
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> posts(deployId).size() >= count);
		return posts(deployId);
	}

	private static List<ServeEvent> posts(String deployId) {
		List<ServeEvent> oldestFirst = new java.util.ArrayList<>(stubs.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getUrl().equals("/api/chat.postMessage")
					&& event.getRequest().getBodyAsString().contains(deployId))
			.toList());
		java.util.Collections.reverse(oldestFirst);
		return oldestFirst;
	}

	/**
	 * A form field as Slack reads it (the SDK's JSON escapes {@code <} and {@code >}).
	 */
	private static String form(ServeEvent event, String name) {
		return event.getRequest()
			.formParameters()
			.get(name)
			.firstValue()
			.replace("\\u003c", "<")
			.replace("\\u003e", ">")
			.replace("\\u0026", "&");
	}

}
