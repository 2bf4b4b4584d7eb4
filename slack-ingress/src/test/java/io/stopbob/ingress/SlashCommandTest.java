package io.stopbob.ingress;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.time.Clock;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.stopbob.ingress.messaging.KafkaSignedRequests;
import io.stopbob.ingress.slack.SignedRequests;
import io.stopbob.schemas.Topics;
import io.stopbob.slack.SlackRequestSigner;
import io.stopbob.testkit.TopicProbe;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class SlashCommandTest extends IngressTest {

	@Autowired
	private ProducerFactory<?, ?> producers;

	@Autowired
	private ConsumerFactory<?, ?> consumers;

	@Test
	void deployWithAnAppOpensTheModalWithTheShaAndTheAppsEnvironments() {
		HttpResponse<String> response = slackRequest(slashCommand("U0ANYONE", "ann", "deploy demo"), Instant.now());

		assertThat(response.statusCode()).isEqualTo(200);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> !slackCalls("views.open", "stop_deploy").isEmpty());
		LoggedRequest open = slackCalls("views.open", "stop_deploy").get(0);
		assertThat(param(open, "trigger_id")).startsWith("13345224609.738474920.");
		String view = param(open, "view");
		assertThat(view).contains("\"type\":\"modal\"")
			.contains("\"callback_id\":\"stop_deploy\"")
			.contains("\"block_id\":\"sha\"")
			.contains("\"type\":\"plain_text_input\"")
			.contains("\"block_id\":\"environment\"")
			.contains("\"type\":\"static_select\"")
			.contains("\"value\":\"production\"")
			.contains("\"value\":\"staging\"")
			.contains("\"private_metadata\":\"demo|C0CHAT\"");
	}

	@Test
	void helpAndUnknownSubcommandsAnswerWithTheUsageOnlyToTheAsker() {
		assertThat(text(slackRequest(slashCommand("U0ANYONE", "ann", "help"), Instant.now())))
			.doesNotContain("in_channel")
			.contains("/stop deploy <app> [<environment> <sha> [--emergency <why>]]")
			.contains("/stop rollback <app> [<environment>]")
			.contains("/stop lock <app> <environment> [--for 30m|2h|1d] <reason>");
		assertThat(text(slackRequest(slashCommand("U0ANYONE", "ann", "dance"), Instant.now())))
			.contains("I don't know `/stop dance`")
			.contains("Usage:");
	}

	@Test
	void anUnknownAppIsAnsweredWithTheKnownApps() {
		assertThat(text(slackRequest(slashCommand("U0ANYONE", "ann", "deploy convertkit"), Instant.now())))
			.contains("I don't know the app `convertkit`. Known apps: demo");
	}

	@Test
	void overlongTextAndControlCharactersAreRefusedAndNothingIsPublished() {
		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			String longText = "deploy demo staging " + "a".repeat(10_000);

			assertThat(text(slackRequest(slashCommand("U0OLLIE", "ollie", longText), Instant.now())))
				.contains("at most 1000");
			assertThat(text(slackRequest(slashCommand("U0OLLIE", "ollie", "deploy demo staging abc1234\u0000;rm -rf /"),
					Instant.now())))
				.contains("control characters");
			assertThat(requests.drain(Duration.ofSeconds(2)))
				.noneMatch((record) -> TopicProbe.event(record).toString().contains("ollie"));
		}
	}

	@Test
	void aShaWithShellMetacharactersIsRefused() {
		assertThat(text(slackRequest(slashCommand("U0ANYONE", "ann", "deploy demo staging $(reboot)"), Instant.now())))
			.contains("Not deploying")
			.contains("7 to 40 hex characters");
	}

	@Test
	void aForgedSignatureIsRefusedWith401() {
		String body = slashCommand("U0ANYONE", "mallory", "deploy demo staging abc1234");
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/slack/events"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.header("X-Slack-Request-Timestamp", Long.toString(Instant.now().getEpochSecond()))
					.header("X-Slack-Signature", "v0=" + "0".repeat(64))
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build());

		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void aRequestWithoutSignatureHeadersIsRefusedWith401() {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/slack/events"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(slashCommand("U0ANYONE", "mallory", "help")))
					.build());

		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void aTimestampMoreThanFiveMinutesOffIsRefusedWith401() {
		HttpResponse<String> response = slackRequest(slashCommand("U0ANYONE", "mallory", "help"),
				Instant.now().minus(Duration.ofMinutes(6)));

		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void aTimestampMoreThanFiveMinutesAheadIsRefusedWith401() {
		HttpResponse<String> response = slackRequest(slashCommand("U0ANYONE", "mallory", "help"),
				Instant.now().plus(Duration.ofMinutes(10)));

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("request timestamp more than 5 minutes from now");
	}

	@Test
	void aRequestSignedWithThePublicLocalSecretIsRefusedWith401() {
		String body = slashCommand("U0RELEASER", "mallory", "unlock demo production");
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/slack/events"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		new SlackRequestSigner("local-signing-secret").headers(body, Instant.now()).forEach(request::header);

		assertThat(send(request.build()).statusCode()).isEqualTo(401);
	}

	@Test
	void aSignedRequestIsAcceptedOnceAcrossInstancesAndRestarts() {
		String body = slashCommand("U0ANYONE", "ann", "help");
		Map<String, String> headers = new SlackRequestSigner(SIGNING_SECRET).headers(body, Instant.now());
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/slack/events"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		assertThat(send(request.build()).statusCode()).isEqualTo(200);

		// Another instance, or this one after a restart: a new reader of the same log.
		KafkaSignedRequests another = new KafkaSignedRequests(this.producers, this.consumers, Clock.systemUTC());
		another.start();
		try {
			assertThat(another.claim(headers.get("X-Slack-Signature"), Instant.now()))
				.isEqualTo(SignedRequests.Claim.REPLAYED);
			assertThat(another.claim("v0=" + "1".repeat(64), Instant.now())).isEqualTo(SignedRequests.Claim.FIRST);
		}
		finally {
			another.stop();
		}
	}

	@Test
	void aReplayedSignedRequestIsRefusedWith401() {
		String body = slashCommand("U0ANYONE", "ann", "help");
		Instant at = Instant.now();

		assertThat(slackRequest(body, at).statusCode()).isEqualTo(200);
		HttpResponse<String> replay = slackRequest(body, at);

		assertThat(replay.statusCode()).isEqualTo(401);
		assertThat(replay.body()).contains("replayed");
	}

	@Test
	void anOversizedBodyIsRefusedWithoutBeingRead() {
		String body = slashCommand("U0ANYONE", "ann", "help") + "&padding=" + "x".repeat(1_000_000);

		assertThat(slackRequest(body, Instant.now()).statusCode()).isEqualTo(413);
	}

	@Test
	void aSignedButMalformedBodyIsABadRequestThatReachesNoHandler() {
		HttpResponse<String> response = slackRequest("this is not a slack payload", Instant.now());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("not a Slack request this app understands");
	}

}
