package io.stopbob.slack;

import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SlackApiTest {

	private final WireMockServer slack = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private SlackApi api;

	@BeforeEach
	void start() {
		this.slack.start();
		SlackConfig config = new SlackConfig();
		config.setMethodsEndpointUrlPrefix(this.slack.baseUrl() + "/api/");
		config.setStatsEnabled(false);
		this.api = new SlackApi(Slack.getInstance(config).methods("xoxb-test"),
				new SlackProperties.Retry(3, Duration.ofMillis(10), Duration.ofSeconds(2)), this.meters);
	}

	@AfterEach
	void stop() {
		this.slack.stop();
	}

	@Test
	void a429IsRetriedAfterItsRetryAfter() {
		this.slack.stubFor(post("/api/chat.postMessage").inScenario("rate")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
			.willSetStateTo("calm"));
		this.slack.stubFor(post("/api/chat.postMessage").inScenario("rate")
			.whenScenarioStateIs("calm")
			.willReturn(okJson("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}")));

		long start = System.nanoTime();
		ChatPostMessageResponse response = this.api.call("chat.postMessage", "d-1",
				(client) -> client.chatPostMessage((r) -> r.channel("C1").text("hello")));

		assertThat(response.getTs()).isEqualTo("1700000000.000200");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
		this.slack.verify(2, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
	}

	@Test
	void aPermanentErrorFailsAtOnceAndIsCounted() {
		this.slack.stubFor(
				post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));

		assertThatExceptionOfType(SlackCallException.class)
			.isThrownBy(() -> this.api.call("chat.postMessage", "d-1",
					(client) -> client.chatPostMessage((r) -> r.channel("C404").text("hello"))))
			.satisfies((ex) -> assertThat(ex.transientFailure()).isFalse())
			.withMessageContaining("channel_not_found");
		this.slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
		assertThat(this.meters.counter("stop.slack.failures", "method", "chat.postMessage").count()).isEqualTo(1);
	}

	@Test
	void aServerErrorIsRetriedABoundedNumberOfTimes() {
		this.slack.stubFor(post("/api/chat.update").willReturn(aResponse().withStatus(503)));

		assertThatExceptionOfType(SlackCallException.class)
			.isThrownBy(() -> this.api.call("chat.update", "d-1",
					(client) -> client.chatUpdate((r) -> r.channel("C1").ts("1.0").text("x"))))
			.satisfies((ex) -> assertThat(ex.transientFailure()).isTrue())
			.withMessageContaining("HTTP 503");
		this.slack.verify(3, postRequestedFor(urlEqualTo("/api/chat.update")));
	}

	@Test
	void aPostWhoseAnswerWasLostIsNotRepeatedBlindlyButThrownForTheCallerToLookFirst() {
		this.slack
			.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		assertThatExceptionOfType(SlackCallException.class)
			.isThrownBy(() -> this.api.call("chat.postMessage", "d-1",
					(client) -> client.chatPostMessage((r) -> r.channel("C1").text("hello"))))
			.satisfies((ex) -> assertThat(ex.transientFailure()).isTrue());
		this.slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
	}

	@Test
	void textFromOutsideCanNeitherPingNorForgeALink() {
		assertThat(SlackText.escape("<!channel> see <http://evil|click> & more"))
			.isEqualTo("&lt;!channel&gt; see &lt;http://evil|click&gt; &amp; more");
		assertThat(SlackText.link("https://github.com/x/y/pull/1", "Fix <b> | a"))
			.isEqualTo("<https://github.com/x/y/pull/1|Fix &lt;b&gt; \u2758 a>");
	}

}
