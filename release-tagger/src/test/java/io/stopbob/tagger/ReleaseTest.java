package io.stopbob.tagger;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.DeployRequested;
import io.stopbob.events.DeployStage;
import io.stopbob.events.TagCreated;
import io.stopbob.testkit.TopicProbe;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class ReleaseTest extends TaggerTest {

	@Test
	void aRequestBecomesAnAnnotatedTagAReleaseAndThenBuildPassed() {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "completed", "success") + "]");
		String deployId = newDeployId();
		DeployRequested request = request(deployId, "staging", sha);
		String tag = "staging-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
			.withZone(ZoneOffset.UTC)
			.format(request.getMeta().getOccurredAt()) + "-" + sha.substring(0, 7);

		try (TopicProbe events = probe()) {
			this.publisher.publish(request);

			List<SpecificRecord> told = eventsOf(events, deployId, 2);
			TagCreated tagged = only(told, TAG).get(0);
			assertThat(tagged.getTag()).isEqualTo(tag);
			assertThat(tagged.getSha()).isEqualTo(sha);
			assertThat(tagged.getReleaseUrl()).isEqualTo("https://github.com/stop-bob/demo/releases/tag/" + tag);
			assertThat(tagged.getCommitTime()).as("for the lead time of changes")
				.isEqualTo(java.time.Instant.parse("2026-11-26T10:05:00Z"));
			BuildPassed built = only(told, BUILT).get(0);
			assertThat(built.getChecks()).containsExactly("build");
			assertThat(built.getCiProvider()).isEqualTo("github-checks");
			assertThat(built.getBuildUrl()).isEqualTo("https://github.com/stop-bob/demo/runs/4");
			assertThat(built.getReused()).isFalse();
			github.verify(1,
					postRequestedFor(urlPathEqualTo(REPO + "/git/tags"))
						.withRequestBody(containing("\"tag\":\"" + tag + "\""))
						.withRequestBody(containing("\"object\":\"" + sha + "\""))
						.withRequestBody(containing("\"type\":\"commit\""))
						.withRequestBody(containing(deployId)));
			github.verify(1, postRequestedFor(urlPathEqualTo(REPO + "/git/refs"))
				.withRequestBody(containing("\"ref\":\"refs/tags/" + tag + "\"")));
			github.verify(1,
					postRequestedFor(urlPathEqualTo(REPO + "/releases"))
						.withRequestBody(containing("\"tag_name\":\"" + tag + "\""))
						.withRequestBody(containing("Fix the signup form")));
		}
		finally {
			succeed(deployId, "staging");
		}
	}

	@Test
	void theSameRequestDeliveredTwiceMakesOneTagAndOneRelease() {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "completed", "success") + "]");
		String deployId = newDeployId();
		DeployRequested request = request(deployId, "staging", sha);

		try (TopicProbe events = probe()) {
			this.publisher.publish(request);
			this.publisher.publish(request);

			eventsOf(events, deployId, 2);
			assertThat(events.drain(java.time.Duration.ofSeconds(2))
				.stream()
				.filter((record) -> TopicProbe.decodes(record)
						&& TopicProbe.event(record).toString().contains(deployId)))
				.hasSize(2);
			github.verify(1,
					postRequestedFor(urlPathEqualTo(REPO + "/git/tags")).withRequestBody(containing(deployId)));
			github.verify(1, postRequestedFor(urlPathEqualTo(REPO + "/releases"))
				.withRequestBody(containing(sha.substring(0, 7))));
		}
		finally {
			succeed(deployId, "staging");
		}
	}

	@Test
	void aSecondRequestForABusyTargetIsRejectedWithWhoHoldsIt() {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "in_progress", null) + "]");
		String first = newDeployId();
		String second = newDeployId();

		try (TopicProbe events = probe()) {
			this.publisher.publish(request(first, "production", sha));
			eventsOf(events, first, 1);
			this.publisher.publish(request(second, "production", newSha()));

			DeployFinished rejected = only(eventsOf(events, second, 1), FINISHED).get(0);
			assertThat(rejected.getOutcome()).isEqualTo(DeployOutcome.REJECTED);
			assertThat(rejected.getStage()).isEqualTo(DeployStage.REQUEST);
			assertThat(rejected.getReason())
				.contains("demo/production is busy: bob.ross is deploying " + sha.substring(0, 7))
				.contains(first);
		}
		finally {
			succeed(first, "production");
		}
	}

	@Test
	void aShaTheRepositoryDoesNotHaveIsRejected() {
		String sha = newSha();
		githubWith(sha, "[]");
		String unknown = newSha();
		github.stubFor(get(urlPathEqualTo(REPO + "/commits/" + unknown)).willReturn(aResponse().withStatus(422)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"message\":\"No commit found for SHA: " + unknown + "\"}")));
		github.stubFor(get(urlPathEqualTo(REPO + "/commits/" + unknown)).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"message\":\"Not Found\"}")));
		String deployId = newDeployId();

		try (TopicProbe events = probe()) {
			this.publisher.publish(request(deployId, "staging", unknown));

			DeployFinished rejected = only(eventsOf(events, deployId, 1), FINISHED).get(0);
			assertThat(rejected.getOutcome()).isEqualTo(DeployOutcome.REJECTED);
			assertThat(rejected.getReason())
				.isEqualTo("commit " + unknown + " does not exist in stop-bob/demo (pushed yet?)");
			github.verify(0,
					postRequestedFor(urlPathEqualTo(REPO + "/git/tags")).withRequestBody(containing(deployId)));
		}
	}

	@Test
	void aGitHub502IsRetriedAndTheTagMadeOnce() {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "completed", "success") + "]");
		String deployId = newDeployId();
		github.stubFor(post(urlPathEqualTo(REPO + "/git/tags")).withRequestBody(containing(deployId))
			.inScenario(deployId)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(502).withBody("Bad Gateway"))
			.willSetStateTo("up"));
		github.stubFor(post(urlPathEqualTo(REPO + "/git/tags")).withRequestBody(containing(deployId))
			.inScenario(deployId)
			.whenScenarioStateIs("up")
			.willReturn(aResponse().withStatus(201)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"sha\":\"c0ffee00000000000000000000000000000000aa\",\"tag\":\"t\",\"object\":{\"sha\":\""
						+ sha + "\",\"type\":\"commit\"}}")));

		try (TopicProbe events = probe()) {
			this.publisher.publish(request(deployId, "staging", sha));

			assertThat(only(eventsOf(events, deployId, 2), TAG)).hasSize(1);
			github.verify(2,
					postRequestedFor(urlPathEqualTo(REPO + "/git/tags")).withRequestBody(containing(deployId)));
			github.verify(1, postRequestedFor(urlPathEqualTo(REPO + "/git/refs"))
				.withRequestBody(containing("c0ffee00000000000000000000000000000000aa")));
		}
		finally {
			succeed(deployId, "staging");
		}
	}

	@Test
	void aRateLimitWaitsForItsResetAndThenReleases() {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "completed", "success") + "]");
		String deployId = newDeployId();
		long reset = java.time.Instant.now().plusSeconds(1).getEpochSecond();
		github.stubFor(post(urlPathEqualTo(REPO + "/releases")).withRequestBody(containing(sha.substring(0, 7)))
			.inScenario(deployId)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(403)
				.withHeader("Content-Type", "application/json")
				.withHeader("X-RateLimit-Limit", "5000")
				.withHeader("X-RateLimit-Remaining", "0")
				.withHeader("X-RateLimit-Reset", Long.toString(reset))
				.withBody("{\"message\":\"API rate limit exceeded for user ID 1.\"}"))
			.willSetStateTo("reset"));
		github.stubFor(post(urlPathEqualTo(REPO + "/releases")).withRequestBody(containing(sha.substring(0, 7)))
			.inScenario(deployId)
			.whenScenarioStateIs("reset")
			.willReturn(aResponse().withStatus(201)
				.withHeader("Content-Type", "application/json")
				.withBody(
						"{\"id\":2,\"tag_name\":\"x\",\"html_url\":\"https://github.com/stop-bob/demo/releases/tag/after-reset\"}")));

		try (TopicProbe events = probe()) {
			this.publisher.publish(request(deployId, "staging", sha));

			List<SpecificRecord> told = eventsOf(events, deployId, 1);
			assertThat(only(told, TAG)).as("events: %s", told).hasSize(1);
			assertThat(only(told, TAG).get(0).getReleaseUrl()).endsWith("after-reset");
			github.verify(2, postRequestedFor(urlPathEqualTo(REPO + "/releases"))
				.withRequestBody(containing(sha.substring(0, 7))));
		}
		finally {
			succeed(deployId, "staging");
		}
	}

	@Test
	void aRejectedTokenEndsTheDeployAtTheTagStageWithWhatToFix() {
		String sha = newSha();
		githubWith(sha, "[]");
		String deployId = newDeployId();
		github.stubFor(post(urlPathEqualTo(REPO + "/git/tags")).withRequestBody(containing(deployId))
			.willReturn(aResponse().withStatus(401)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"message\":\"Bad credentials\"}")));

		try (TopicProbe events = probe()) {
			this.publisher.publish(request(deployId, "staging", sha));

			DeployFinished failed = only(eventsOf(events, deployId, 1), FINISHED).get(0);
			assertThat(failed.getOutcome()).isEqualTo(DeployOutcome.FAILED);
			assertThat(failed.getStage()).isEqualTo(DeployStage.TAG);
			assertThat(failed.getReason()).contains("GitHub rejected the token (401); check GITHUB_TOKEN");
		}
	}

	@Test
	void aFailedCheckEndsTheDeployAtTheBuildStageNamingTheCheck() {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "completed", "failure") + "]");
		String deployId = newDeployId();

		try (TopicProbe events = probe()) {
			this.publisher.publish(request(deployId, "staging", sha));

			DeployFinished failed = only(eventsOf(events, deployId, 2), FINISHED).get(0);
			assertThat(failed.getOutcome()).isEqualTo(DeployOutcome.FAILED);
			assertThat(failed.getStage()).isEqualTo(DeployStage.BUILD);
			assertThat(failed.getReason()).isEqualTo("check build failed: https://github.com/stop-bob/demo/runs/4");
		}
	}

	@Test
	void aBranchBuildOfTheSameCommitIsNotTheTagsBuildAndTheGateWaitsForTheTagsOwn() {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "completed", "success") + "]");
		// Green, but for the branch: its suite ran for main, its status long before the
		// tag.
		tagSuite("main");
		github.stubFor(get(urlPathEqualTo(REPO + "/statuses/" + sha)).willReturn(okJson("""
				[{"id":1,"state":"success","context":"build","target_url":"https://ci.example/branch",
				  "created_at":"2026-11-01T10:00:00Z","updated_at":"2026-11-01T10:00:00Z"}]""")));
		String deployId = newDeployId();

		try (TopicProbe events = probe()) {
			this.publisher.publish(request(deployId, "staging", sha));
			only(eventsOf(events, deployId, 1), TAG).get(0);

			assertThat(events.drain(Duration.ofSeconds(3))
				.stream()
				.filter(TopicProbe::decodes)
				.map(TopicProbe::event)
				.filter((event) -> event instanceof BuildPassed
						&& ((BuildPassed) event).getMeta().getDeployId().equals(deployId)))
				.as("passed on the branch's build")
				.isEmpty();

			tagSuite("{{request.pathSegments.[5]}}");
			BuildPassed built = only(eventsOf(events, deployId, 2), BUILT).get(0);
			assertThat(built.getBuildUrl()).isEqualTo("https://github.com/stop-bob/demo/runs/4");
		}
		finally {
			tagSuite("{{request.pathSegments.[5]}}");
			succeed(deployId, "staging");
		}
	}

	@Test
	void aRollbackToAShaThatAlreadyPassedOnTheTargetSkipsTheWait() {
		String sha = newSha();
		githubWith(sha, "[" + checkRun("build", "completed", "success") + "]");
		String earlier = newDeployId();
		try (TopicProbe events = probe()) {
			this.publisher.publish(request(earlier, "staging", sha));
			only(eventsOf(events, earlier, 2), BUILT);
		}
		succeed(earlier, "staging");
		checks(sha, "[" + checkRun("build", "in_progress", null) + "]");
		github.resetRequests();
		String rollback = newDeployId();

		try (TopicProbe events = probe()) {
			DeployRequested request = request(rollback, "staging", sha);
			request.setKind(io.stopbob.events.DeployKind.ROLLBACK);
			this.publisher.publish(request);

			List<SpecificRecord> told = eventsOf(events, rollback, 2);
			assertThat(only(told, TAG).get(0).getKind()).isEqualTo(io.stopbob.events.DeployKind.ROLLBACK);
			BuildPassed reused = only(told, BUILT).get(0);
			assertThat(reused.getReused()).isTrue();
			assertThat(reused.getChecks()).containsExactly("build");
			github.verify(0, getRequestedFor(urlPathEqualTo(REPO + "/commits/" + sha + "/check-runs")));
		}
		finally {
			succeed(rollback, "staging");
		}
	}

}
