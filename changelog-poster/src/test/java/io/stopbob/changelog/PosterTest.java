package io.stopbob.changelog;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.stopbob.platform.bus.EventPublisher;
import io.stopbob.testkit.ServiceTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * changelog-poster whole, against the embedded broker, with one WireMock server speaking
 * both GitHub's REST API ({@code /repos/...}) and Slack's Web API ({@code /api/...}).
 * Every test class of the module extends this, so they share one Spring context.
 */
@ServiceTest
public abstract class PosterTest {

	protected static final WireMockServer stubs = new WireMockServer(
			wireMockConfig().dynamicPort().bindAddress("127.0.0.1").globalTemplating(true));

	static {
		stubs.start();
		stubs.stubFor(post("/api/chat.postMessage").willReturn(okJson(
				"{\"ok\":true,\"channel\":\"C0CHANGES\",\"ts\":\"{{now format='epoch'}}.{{randomValue length=6 type='NUMERIC'}}\"}")));
		stubs.stubFor(post("/api/conversations.history").willReturn(okJson("{\"ok\":true,\"messages\":[]}")));
		stubs.stubFor(
				post("/api/auth.test").willReturn(okJson("{\"ok\":true,\"user_id\":\"U0BOB\",\"team_id\":\"T0\"}")));
	}

	@Autowired
	protected EventPublisher publisher;

	@DynamicPropertySource
	static void outsideSystems(DynamicPropertyRegistry registry) {
		registry.add("stop.github.token", () -> "ghp_test");
		registry.add("stop.changelog.github-api-url", stubs::baseUrl);
		registry.add("stop.changelog.backoff", () -> "20ms");
		registry.add("stop.slack.bot-token", () -> "xoxb-test");
		registry.add("stop.slack.api-url", () -> stubs.baseUrl() + "/api/");
		registry.add("stop.slack.retry.backoff", () -> "20ms");
	}

}
