package io.stopbob.rollout;

import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.RolloutProgress;
import io.stopbob.events.RolloutState;
import io.stopbob.schemas.EventMother;
import io.stopbob.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CodeDeploy backend against WireMock speaking AWS JSON 1.1 ({@code X-Amz-Target}).
 */
class CodeDeployTest extends RolloutServiceTest {

	@Test
	void aDeploymentIsCreatedHalfAtATimeWithRollbackAndFollowedToSuccess() {
		String deployId = newDeployId();
		String deployment = "d-" + deployId.substring(7).toUpperCase();
		noEarlierDeployments();
		codedeploy.stubFor(operation("CreateDeployment").withRequestBody(containing(deployId))
			.willReturn(json("{\"deploymentId\":\"" + deployment + "\"}")));
		progressing(deployment, inProgress(2, 2, 0, 0), inProgress(0, 2, 2, 0), done("Succeeded", 0, 4, 0, null));

		try (TopicProbe events = probe()) {
			this.publisher.publish(built(deployId));

			DeployFinished finished = finished(events, deployId);
			assertThat(finished.getOutcome()).isEqualTo(DeployOutcome.SUCCEEDED);
			List<RolloutProgress> progress = progress(events, deployId);
			assertThat(progress).extracting(RolloutProgress::getState)
				.contains(RolloutState.IN_PROGRESS)
				.endsWith(RolloutState.SUCCEEDED);
			assertThat(progress).allSatisfy((p) -> assertThat(p.getBackendDeploymentId()).isEqualTo(deployment));
			codedeploy.verify(1,
					postRequestedFor(urlEqualTo("/"))
						.withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006.CreateDeployment"))
						.withRequestBody(containing("\"applicationName\":\"demo\""))
						.withRequestBody(containing("\"deploymentGroupName\":\"production\""))
						.withRequestBody(containing("\"deploymentConfigName\":\"CodeDeployDefault.HalfAtATime\""))
						.withRequestBody(containing("\"revisionType\":\"GitHub\""))
						.withRequestBody(containing("\"commitId\":\"" + EventMother.SHA + "\""))
						.withRequestBody(containing("\"enabled\":true"))
						.withRequestBody(containing("DEPLOYMENT_FAILURE"))
						.withRequestBody(containing("DEPLOYMENT_STOP_ON_ALARM"))
						.withRequestBody(containing("stop-bob deployId=" + deployId + " ")));
		}
	}

	@Test
	void aFailedDeploymentThatCodeDeployRolledBackSaysWhichInstanceFailedWhichEvent() {
		String deployId = newDeployId();
		String deployment = "d-" + deployId.substring(7).toUpperCase();
		noEarlierDeployments();
		codedeploy.stubFor(operation("CreateDeployment").withRequestBody(containing(deployId))
			.willReturn(json("{\"deploymentId\":\"" + deployment + "\"}")));
		progressing(deployment, done("Failed", 0, 2, 1, "d-ROLLBACK1"));
		codedeploy.stubFor(operation("ListDeploymentTargets").withRequestBody(containing(deployment))
			.withRequestBody(containing("\"TargetStatus\":[\"Failed\"]"))
			.willReturn(json("{\"targetIds\":[\"i-0bad\"]}")));
		codedeploy.stubFor(operation("BatchGetDeploymentTargets").withRequestBody(containing(deployment))
			.willReturn(json("""
					{"deploymentTargets":[{"deploymentTargetType":"InstanceTarget","instanceTarget":{
					  "deploymentId":"%s","targetId":"i-0bad","status":"Failed","lifecycleEvents":[
					   {"lifecycleEventName":"BeforeInstall","status":"Succeeded"},
					   {"lifecycleEventName":"ValidateService","status":"Failed",
					    "diagnostics":{"errorCode":"ScriptFailed","message":"health check answered 503"}}]}}]}"""
				.formatted(deployment))));

		try (TopicProbe events = probe()) {
			this.publisher.publish(built(deployId));

			DeployFinished finished = finished(events, deployId);
			assertThat(finished.getOutcome()).isEqualTo(DeployOutcome.ROLLED_BACK);
			assertThat(finished.getReason()).contains("i-0bad failed ValidateService (health check answered 503)")
				.contains("CodeDeploy rolled back with d-ROLLBACK1");
			RolloutProgress last = progress(events, deployId).get(progress(events, deployId).size() - 1);
			assertThat(last.getFailures()).extracting((failure) -> failure.getLifecycleEvent())
				.containsExactly("ValidateService");
		}
	}

	@Test
	void throttlingIsRetriedAndTheDeploymentStillFollowed() {
		String deployId = newDeployId();
		String deployment = "d-" + deployId.substring(7).toUpperCase();
		noEarlierDeployments();
		codedeploy.stubFor(operation("CreateDeployment").withRequestBody(containing(deployId))
			.willReturn(json("{\"deploymentId\":\"" + deployment + "\"}")));
		codedeploy.stubFor(operation("GetDeployment").withRequestBody(containing(deployment))
			.inScenario(deployment)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(400)
				.withHeader("Content-Type", "application/x-amz-json-1.1")
				.withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"))
			.willSetStateTo("calm"));
		codedeploy.stubFor(operation("GetDeployment").withRequestBody(containing(deployment))
			.inScenario(deployment)
			.whenScenarioStateIs("calm")
			.willReturn(json(deploymentInfo(deployment, done("Succeeded", 0, 4, 0, null)))));

		try (TopicProbe events = probe()) {
			this.publisher.publish(built(deployId));

			assertThat(finished(events, deployId).getOutcome()).isEqualTo(DeployOutcome.SUCCEEDED);
		}
	}

	@Test
	void aDeploymentAlreadyStartedForTheDeployIsFollowedNotStartedAgain() {
		String deployId = newDeployId();
		String deployment = "d-" + deployId.substring(7).toUpperCase();
		codedeploy.stubFor(operation("ListDeployments")
			.willReturn(json("{\"deployments\":[\"d-OTHER\",\"" + deployment + "\"]}")));
		codedeploy.stubFor(operation("BatchGetDeployments").willReturn(json("""
				{"deploymentsInfo":[
				 {"deploymentId":"d-OTHER","description":"stop-bob deployId=d-someone-else demo/production x"},
				 {"deploymentId":"%s","description":"stop-bob deployId=%s demo/production production-1"}]}"""
			.formatted(deployment, deployId))));
		progressing(deployment, done("Succeeded", 0, 4, 0, null));

		try (TopicProbe events = probe()) {
			this.publisher.publish(built(deployId));

			assertThat(finished(events, deployId).getOutcome()).isEqualTo(DeployOutcome.SUCCEEDED);
			codedeploy.verify(0,
					postRequestedFor(urlEqualTo("/"))
						.withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006.CreateDeployment"))
						.withRequestBody(containing(deployId)));
		}
	}

	@Test
	void aDeployEndedElsewhereStopsItsRunningDeploymentWithRollback() {
		String deployId = newDeployId();
		String deployment = "d-" + deployId.substring(7).toUpperCase();
		noEarlierDeployments();
		codedeploy.stubFor(operation("CreateDeployment").withRequestBody(containing(deployId))
			.willReturn(json("{\"deploymentId\":\"" + deployment + "\"}")));
		progressing(deployment, inProgress(2, 2, 0, 0));
		codedeploy.stubFor(operation("StopDeployment").withRequestBody(containing(deployment))
			.willReturn(json("{\"status\":\"Pending\",\"statusMessage\":\"Stopping\"}")));

		try (TopicProbe events = probe()) {
			this.publisher.publish(built(deployId));
			events.await(1,
					(record) -> TopicProbe.decodes(record) && TopicProbe.event(record) instanceof RolloutProgress p
							&& p.getMeta().getDeployId().equals(deployId),
					java.time.Duration.ofSeconds(30));

			this.publisher.publish(EventMother.deployFinished(deployId)
				.setMeta(EventMother.meta(deployId).setEnvironment("production").setProducer("release-tagger").build())
				.setOutcome(DeployOutcome.FAILED)
				.build());

			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(30))
				.untilAsserted(() -> codedeploy.verify(1,
						postRequestedFor(urlEqualTo("/"))
							.withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006.StopDeployment"))
							.withRequestBody(containing(deployment))
							.withRequestBody(containing("\"autoRollbackEnabled\":true"))));
		}
	}

	private BuildPassed built(String deployId) {
		return requestedAndTagged(deployId, "production", EventMother.SHA, "production-1")
			.setMeta(EventMother.meta(deployId)
				.setEnvironment("production")
				.setEventId(UUID.randomUUID().toString())
				.build())
			.build();
	}

	private static void noEarlierDeployments() {
		codedeploy.stubFor(operation("ListDeployments").willReturn(json("{\"deployments\":[]}")));
	}

	/** GetDeployment answers each given state once, in order, then keeps the last. */
	private static void progressing(String deployment, String... overviews) {
		for (int i = 0; i < overviews.length; i++) {
			ScenarioMappingBuilder get = operation("GetDeployment").withRequestBody(containing(deployment))
				.inScenario(deployment)
				.whenScenarioStateIs((i == 0) ? Scenario.STARTED : "state-" + i)
				.willReturn(json(deploymentInfo(deployment, overviews[i])));
			if (i < overviews.length - 1) {
				get.willSetStateTo("state-" + (i + 1));
			}
			codedeploy.stubFor(get);
		}
	}

	private static String inProgress(int pending, int inProgress, int succeeded, int failed) {
		return "\"status\":\"InProgress\",\"deploymentOverview\":{\"Pending\":" + pending + ",\"InProgress\":"
				+ inProgress + ",\"Succeeded\":" + succeeded + ",\"Failed\":" + failed + ",\"Skipped\":0,\"Ready\":0}";
	}

	private static String done(String status, int inProgress, int succeeded, int failed, String rollbackId) {
		return "\"status\":\"" + status + "\",\"deploymentOverview\":{\"Pending\":0,\"InProgress\":" + inProgress
				+ ",\"Succeeded\":" + succeeded + ",\"Failed\":" + failed + ",\"Skipped\":" + (4 - succeeded - failed)
				+ ",\"Ready\":0}"
				+ ((rollbackId != null) ? ",\"rollbackInfo\":{\"rollbackDeploymentId\":\"" + rollbackId
						+ "\",\"rollbackMessage\":\"Automatic rollback\"},\"errorInformation\":{\"code\":\"HEALTH_CONSTRAINTS\","
						+ "\"message\":\"The overall deployment failed because too many individual instances failed deployment\"}"
						: "");
	}

	private static String deploymentInfo(String deployment, String fields) {
		return "{\"deploymentInfo\":{\"applicationName\":\"demo\",\"deploymentGroupName\":\"production\","
				+ "\"deploymentConfigName\":\"CodeDeployDefault.HalfAtATime\",\"deploymentId\":\"" + deployment + "\","
				+ fields + "}}";
	}

	private static MappingBuilder operation(String name) {
		return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006." + name));
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
	}

}
