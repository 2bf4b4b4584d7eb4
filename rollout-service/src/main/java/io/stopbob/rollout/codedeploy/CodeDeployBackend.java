package io.stopbob.rollout.codedeploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.stopbob.ledger.PipelineEvent.InstanceFailure;
import io.stopbob.ledger.PipelineEvent.Instances;
import io.stopbob.platform.catalog.Rollout;
import io.stopbob.platform.retry.Retrying;
import io.stopbob.platform.retry.Retrying.Retry;
import io.stopbob.rollout.rolling.RolloutBackend;
import io.stopbob.rollout.rolling.RolloutRequest;
import io.stopbob.rollout.rolling.RolloutStatus;
import io.stopbob.rollout.rolling.RolloutStatus.State;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.AutoRollbackEvent;
import software.amazon.awssdk.services.codedeploy.model.BundleType;
import software.amazon.awssdk.services.codedeploy.model.CodeDeployException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentOverview;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.codedeploy.model.DeploymentTarget;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocation;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.codedeploy.model.TargetFilterName;

/**
 * AWS CodeDeploy as the rollout backend: {@code CreateDeployment} with the target's
 * application, deployment group and config (default
 * {@code CodeDeployDefault.HalfAtATime}), the GitHub revision at the SHA (or an S3
 * bundle), automatic rollback on failure (and on alarms when the catalog names them) and
 * the deploy id in the description, by which a restart finds it again. Throttling is
 * retried with backoff on top of the SDK's own retries.
 */
public class CodeDeployBackend implements RolloutBackend {

	static final String MARKER = "stop-bob deployId=";

	/** Deployments of a group looked through to find one by its deploy id. */
	static final int SEARCH_LIMIT = 100;

	private final CodeDeployClient client;

	private final Retrying retrying;

	public CodeDeployBackend(CodeDeployClient client, Retrying retrying) {
		this.client = client;
		this.retrying = retrying;
	}

	@Override
	public Optional<String> find(RolloutRequest request) {
		Rollout.CodeDeploy settings = settings(request);
		List<String> ids = call("ListDeployments", () -> this.client
			.listDeployments(
					(r) -> r.applicationName(settings.application()).deploymentGroupName(settings.deploymentGroup()))
			.deployments());
		List<String> recent = ids.subList(0, Math.min(SEARCH_LIMIT, ids.size()));
		for (int from = 0; from < recent.size(); from += 25) {
			List<String> batch = recent.subList(from, Math.min(from + 25, recent.size()));
			Optional<String> found = call("BatchGetDeployments",
					() -> this.client.batchGetDeployments((r) -> r.deploymentIds(batch)).deploymentsInfo())
				.stream()
				.filter((info) -> info.description() != null
						&& info.description().contains(MARKER + request.deployId() + " "))
				.map(DeploymentInfo::deploymentId)
				.findFirst();
			if (found.isPresent()) {
				return found;
			}
		}
		return Optional.empty();
	}

	@Override
	public String start(RolloutRequest request) {
		Rollout.CodeDeploy settings = settings(request);
		RevisionLocation revision = (settings.revision().s3Bucket() != null)
				? RevisionLocation.builder()
					.revisionType(RevisionLocationType.S3)
					.s3Location((s3) -> s3.bucket(settings.revision().s3Bucket())
						.key(settings.revision().s3Key())
						.bundleType(BundleType.fromValue(settings.revision().bundleType())))
					.build()
				: RevisionLocation.builder()
					.revisionType(RevisionLocationType.GIT_HUB)
					.gitHubLocation((github) -> github.repository(request.repository()).commitId(request.sha()))
					.build();
		List<AutoRollbackEvent> rollbackOn = new ArrayList<>(List.of(AutoRollbackEvent.DEPLOYMENT_FAILURE));
		if (!settings.alarms().isEmpty()) {
			rollbackOn.add(AutoRollbackEvent.DEPLOYMENT_STOP_ON_ALARM);
		}
		return call("CreateDeployment",
				() -> this.client
					.createDeployment((r) -> r.applicationName(settings.application())
						.deploymentGroupName(settings.deploymentGroup())
						.deploymentConfigName(settings.deploymentConfig())
						.revision(revision)
						.description(MARKER + request.deployId() + " " + request.target() + " " + request.tag())
						.autoRollbackConfiguration((rollback) -> rollback.enabled(true).events(rollbackOn)))
					.deploymentId());
	}

	@Override
	public RolloutStatus status(RolloutRequest request, String deploymentId) {
		DeploymentInfo info = call("GetDeployment",
				() -> this.client.getDeployment((r) -> r.deploymentId(deploymentId)).deploymentInfo());
		DeploymentOverview overview = info.deploymentOverview();
		Instances counts = (overview != null)
				? new Instances(
						(int) (sum(overview.pending(), overview.inProgress(), overview.succeeded(), overview.failed(),
								overview.skipped(), overview.ready())),
						(int) sum(overview.succeeded()), (int) sum(overview.failed()), (int) sum(overview.inProgress()),
						(int) sum(overview.pending()))
				: new Instances(0, 0, 0, 0, 0);
		State state = state(info);
		List<InstanceFailure> failures = (counts.failed() > 0) ? failures(deploymentId) : List.of();
		String message = (info.errorInformation() != null) ? info.errorInformation().message() : null;
		if (info.rollbackInfo() != null && info.rollbackInfo().rollbackDeploymentId() != null) {
			message = ((message != null) ? message + ". " : "") + "CodeDeploy rolled back with "
					+ info.rollbackInfo().rollbackDeploymentId();
		}
		boolean halves = "CodeDeployDefault.HalfAtATime".equals(info.deploymentConfigName());
		Integer batch = halves ? ((counts.succeeded() * 2 >= counts.total() && counts.total() > 0) ? 2 : 1) : null;
		return new RolloutStatus(state, counts, batch, halves ? 2 : null, failures, message);
	}

	@Override
	public void stop(RolloutRequest request, String deploymentId) {
		call("StopDeployment",
				() -> this.client.stopDeployment((r) -> r.deploymentId(deploymentId).autoRollbackEnabled(true)));
	}

	private static State state(DeploymentInfo info) {
		DeploymentStatus status = info.status();
		boolean rolledBack = info.rollbackInfo() != null && info.rollbackInfo().rollbackDeploymentId() != null;
		if (status == DeploymentStatus.SUCCEEDED) {
			return State.SUCCEEDED;
		}
		if (status == DeploymentStatus.FAILED) {
			return rolledBack ? State.ROLLED_BACK : State.FAILED;
		}
		if (status == DeploymentStatus.STOPPED) {
			return rolledBack ? State.ROLLED_BACK : State.STOPPED;
		}
		return State.IN_PROGRESS;
	}

	/** Which instance failed which lifecycle event, and why. */
	private List<InstanceFailure> failures(String deploymentId) {
		List<String> failed = call("ListDeploymentTargets",
				() -> this.client
					.listDeploymentTargets((r) -> r.deploymentId(deploymentId)
						.targetFilters(Map.of(TargetFilterName.TARGET_STATUS, List.of("Failed"))))
					.targetIds());
		if (failed.isEmpty()) {
			return List.of();
		}
		List<String> ids = failed.subList(0, Math.min(25, failed.size()));
		List<DeploymentTarget> targets = call("BatchGetDeploymentTargets",
				() -> this.client.batchGetDeploymentTargets((r) -> r.deploymentId(deploymentId).targetIds(ids))
					.deploymentTargets());
		List<InstanceFailure> failures = new ArrayList<>();
		for (DeploymentTarget target : targets) {
			if (target.instanceTarget() == null) {
				continue;
			}
			target.instanceTarget()
				.lifecycleEvents()
				.stream()
				.filter((event) -> "Failed".equalsIgnoreCase(event.statusAsString()))
				.findFirst()
				.ifPresentOrElse(
						(event) -> failures
							.add(new InstanceFailure(target.instanceTarget().targetId(), event.lifecycleEventName(),
									(event.diagnostics() != null) ? event.diagnostics().message() : null)),
						() -> failures.add(new InstanceFailure(target.instanceTarget().targetId(), null, null)));
		}
		return failures;
	}

	private <T> T call(String operation, java.util.function.Supplier<T> call) {
		return this.retrying.call("CodeDeploy " + operation, () -> {
			try {
				return call.get();
			}
			catch (CodeDeployException ex) {
				if (ex.isThrottlingException() || ex.statusCode() >= 500) {
					throw new Retry(ex.awsErrorDetails().errorCode() + ": " + ex.awsErrorDetails().errorMessage());
				}
				throw ex;
			}
			catch (SdkClientException ex) {
				throw new Retry(ex.getMessage());
			}
		});
	}

	private static Rollout.CodeDeploy settings(RolloutRequest request) {
		return request.settings().codedeploy();
	}

	private static long sum(Long... values) {
		long total = 0;
		for (Long value : values) {
			total += (value != null) ? value : 0;
		}
		return total;
	}

}
