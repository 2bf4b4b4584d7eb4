package io.stopbob.schemas;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployKind;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.DeployRequested;
import io.stopbob.events.DeployStage;
import io.stopbob.events.EventMeta;
import io.stopbob.events.InstanceCounts;
import io.stopbob.events.InstanceFailure;
import io.stopbob.events.RolloutProgress;
import io.stopbob.events.RolloutState;
import io.stopbob.events.SlackUser;
import io.stopbob.events.TagCreated;

/**
 * Test data builders for the pipeline events, filled with a plausible deploy of
 * {@code demo} to {@code staging}; tests change only what they are about.
 */
public final class EventMother {

	public static final String SHA = "3f9c2a1e8b7d6c5f4a3b2c1d0e9f8a7b6c5d4e3f";

	private EventMother() {
	}

	public static EventMeta.Builder meta(String deployId) {
		return EventMeta.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setDeployId(deployId)
			.setApp("demo")
			.setEnvironment("staging")
			.setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
			.setProducer("test");
	}

	public static DeployRequested.Builder deployRequested(String deployId) {
		return DeployRequested.newBuilder()
			.setMeta(meta(deployId).build())
			.setSha(SHA)
			.setKind(DeployKind.DEPLOY)
			.setRequestedBy(SlackUser.newBuilder().setId("U012AB3CD").setName("bob.ross").build())
			.setSlackChannel("C0DEPLOYS")
			.setSlackThreadTs("1700000000.000100")
			.setReason("happy little release");
	}

	public static TagCreated.Builder tagCreated(String deployId) {
		return TagCreated.newBuilder()
			.setMeta(meta(deployId).build())
			.setSha(SHA)
			.setTag("staging-20261126-150700-3f9c2a1")
			.setReleaseUrl("https://github.com/stop-bob/demo/releases/tag/staging-20261126-150700-3f9c2a1")
			.setPreviousTag("staging-20261125-093000-1a2b3c4")
			.setPreviousSha("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b")
			.setKind(DeployKind.DEPLOY);
	}

	public static BuildPassed.Builder buildPassed(String deployId) {
		return BuildPassed.newBuilder()
			.setMeta(meta(deployId).build())
			.setSha(SHA)
			.setTag("staging-20261126-150700-3f9c2a1")
			.setCiProvider("github-checks")
			.setChecks(List.of("build", "test"))
			.setBuildUrl("https://github.com/stop-bob/demo/actions/runs/42")
			.setReused(false);
	}

	public static RolloutProgress.Builder rolloutProgress(String deployId) {
		return RolloutProgress.newBuilder()
			.setMeta(meta(deployId).build())
			.setBackendDeploymentId("d-ABCDEF123")
			.setState(RolloutState.IN_PROGRESS)
			.setInstances(InstanceCounts.newBuilder()
				.setTotal(4)
				.setSucceeded(2)
				.setFailed(0)
				.setInProgress(2)
				.setPending(0)
				.build())
			.setCurrentBatch(2)
			.setBatchCount(2)
			.setFailures(List.of())
			.setMessage("second half");
	}

	public static InstanceFailure failure(String instanceId, String lifecycleEvent) {
		return InstanceFailure.newBuilder()
			.setInstanceId(instanceId)
			.setLifecycleEvent(lifecycleEvent)
			.setMessage("health check answered 503")
			.build();
	}

	public static DeployFinished.Builder deployFinished(String deployId) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		return DeployFinished.newBuilder()
			.setMeta(meta(deployId).setOccurredAt(now).build())
			.setOutcome(DeployOutcome.SUCCEEDED)
			.setStage(DeployStage.ROLLOUT)
			.setReason(null)
			.setSha(SHA)
			.setRequestedAt(now.minusSeconds(90))
			.setDurationMillis(90_000L);
	}

}
