package io.stopbob.ingress;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.stopbob.schemas.EventMother;
import io.stopbob.schemas.Topics;
import io.stopbob.testkit.TopicProbe;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeployApiTest extends IngressTest {

	@Test
	void aValidRequestIsAcceptedWithItsDeployIdAndCanBeFollowed() {
		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			HttpResponse<String> response = postDeploy(tokenOf("U0BOT"),
					"{\"app\":\"demo\",\"environment\":\"staging\",\"sha\":\"abcdef1234\",\"reason\":\"nightly\",\"user\":\"U0BOT\"}");

			assertThat(response.statusCode()).isEqualTo(202);
			String deployId = response.body().replaceAll(".*\"deployId\":\"([^\"]+)\".*", "$1");
			assertThat(requested(requests, 1, (event) -> event.getMeta().getDeployId().equals(deployId)).get(0)
				.getReason()).isEqualTo("nightly");
			HttpResponse<String> shown = get("/api/deploys/" + deployId, API_TOKEN);
			assertThat(shown.statusCode()).isEqualTo(200);
			assertThat(shown.body()).contains("\"stage\":\"REQUESTED\"").contains("\"sha\":\"abcdef1234\"");
			finish(deployId, "demo", "staging");
		}
	}

	@Test
	void aTargetsDeploysInATimeRangeAreListedTheNewestFirst() {
		String deployId = "d-ranged-1";
		Instant asked = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
		this.publisher.publish(EventMother.deployRequested(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment("stuck").setOccurredAt(asked).build())
			.build());
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> this.ledger.find(deployId).isPresent());

		HttpResponse<String> listed = get("/api/deploys?app=demo&environment=stuck&from=" + asked.minusSeconds(60)
				+ "&to=" + asked.plusSeconds(60), API_TOKEN);
		HttpResponse<String> before = get("/api/deploys?app=demo&environment=stuck&from=" + asked.minusSeconds(600)
				+ "&to=" + asked.minusSeconds(60), API_TOKEN);

		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.body()).contains("\"deployId\":\"" + deployId + "\"");
		assertThat(before.body()).doesNotContain(deployId);
		assertThat(get("/api/deploys?app=demo&environment=stuck&from=yesterday", API_TOKEN).body())
			.contains("ISO-8601");
		assertThat(get("/api/deploys?app=nope&environment=stuck&from=" + asked, API_TOKEN).statusCode()).isEqualTo(400);
		finish(deployId, "demo", "stuck");
	}

	@Test
	void invalidInputIs400WithTheFieldAndWhy() {
		HttpResponse<String> response = postDeploy(API_TOKEN,
				"{\"app\":\"demo\",\"environment\":\"staging\",\"sha\":\"zz; rm -rf /\"}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"field\":\"sha\"").contains("7 to 40 hex characters");
		assertThat(postDeploy(API_TOKEN, "{\"app\":\"nope\",\"environment\":\"staging\",\"sha\":\"abc1234\"}").body())
			.contains("Unknown app 'nope'. Known apps: demo");
		assertThat(postDeploy(API_TOKEN, "not json").statusCode()).isEqualTo(400);
	}

	@Test
	void aRefusalBehindADeployRunningForLongSaysHowToReDriveIt() {
		String stuck = "d-stuck-1";
		this.publisher.publish(EventMother.deployRequested(stuck)
			.setMeta(EventMother.meta(stuck)
				.setEnvironment("stuck")
				.setOccurredAt(Instant.now().minus(Duration.ofMinutes(45)).truncatedTo(ChronoUnit.MILLIS))
				.build())
			.build());
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> this.ledger.find(stuck).isPresent());

		HttpResponse<String> refused = postDeploy(tokenOf("U0RELEASER"),
				"{\"app\":\"demo\",\"environment\":\"stuck\",\"sha\":\"abc1234\"}");

		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("(45 min ago)")
			.contains("If it seems stuck, an operator can re-drive it with `bin/stop replay --deploy d-stuck-1`.");
		finish(stuck, "demo", "stuck");
	}

	@Test
	void aUserNotAllowedInTheEnvironmentIs403() {
		HttpResponse<String> response = postDeploy(tokenOf("U0STRANGER"),
				"{\"app\":\"demo\",\"environment\":\"production\",\"sha\":\"abc1234\"}");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("You are not on the list of people who may deploy demo to production");
	}

	@Test
	void aTokenCannotActAsAnotherUser() {
		HttpResponse<String> response = postDeploy(tokenOf("U0STRANGER"),
				"{\"app\":\"demo\",\"environment\":\"production\",\"sha\":\"abc1234\",\"user\":\"U0RELEASER\"}");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body())
			.contains("this token is U0STRANGER's: it acts as U0STRANGER and cannot act as U0RELEASER");
	}

	@Test
	void anApiRollbackGoesOnlyToAnEarlierSuccessfulRelease() {
		long before = System.currentTimeMillis();
		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			HttpResponse<String> response = postDeploy(tokenOf("U0RELEASER"),
					"{\"app\":\"demo\",\"environment\":\"production\",\"sha\":\"badc0ffee\",\"kind\":\"rollback\"}");

			assertThat(response.statusCode()).isEqualTo(409);
			assertThat(response.body()).contains("`badc0ff` was never released successfully to demo/production"
					+ " (of its latest 20 releases): a rollback goes only to one of those.");
			assertThat(requests.drain(Duration.ofSeconds(1))).as("requests published")
				.noneMatch((record) -> record.timestamp() >= before);
		}
	}

	@Test
	void theEdgeReadsNoBodyBeforeItKnowsTheCallerOrOverTheLimit() {
		HttpResponse<String> anonymous = postDeploy(null, "not json at all");
		assertThat(anonymous.statusCode()).as("refused before parsing").isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Basic realm=\"StoP Bob\""));

		HttpResponse<String> huge = postDeploy(API_TOKEN, "{\"reason\":\"" + "x".repeat(300 * 1024) + "\"}");
		assertThat(huge.statusCode()).isEqualTo(413);
		assertThat(huge.body()).contains("at most 262144 are read");
	}

	@Test
	void aBusyTargetIs409() {
		HttpResponse<String> first = postDeploy(tokenOf("U0RELEASER"),
				"{\"app\":\"demo\",\"environment\":\"production\",\"sha\":\"abc1234\"}");
		String deployId = first.body().replaceAll(".*\"deployId\":\"([^\"]+)\".*", "$1");

		try {
			HttpResponse<String> second = postDeploy(tokenOf("U0RELEASER"),
					"{\"app\":\"demo\",\"environment\":\"production\",\"sha\":\"def5678\"}");

			assertThat(second.statusCode()).isEqualTo(409);
			assertThat(second.body()).contains("demo/production is busy: U0RELEASER is deploying abc1234 (" + deployId);
		}
		finally {
			finish(deployId, "demo", "production");
		}
	}

	@Test
	void aMissingOrWrongTokenIs401() {
		assertThat(postDeploy(null, "{}").statusCode()).isEqualTo(401);
		assertThat(postDeploy("guess", "{}").statusCode()).isEqualTo(401);
		assertThat(get("/api/deploys/d-1", "guess").statusCode()).isEqualTo(401);
	}

	@Test
	void anUnknownDeployIs404() {
		assertThat(get("/api/deploys/d-nope", API_TOKEN).statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> postDeploy(String token, String json) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/deploys"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request.build());
	}

	private HttpResponse<String> get(String path, String token) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build());
	}

}
