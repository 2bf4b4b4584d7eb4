package io.stopbob.platform.catalog;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a release reaches an environment's fleet.
 *
 * @param backend which rollout backend runs it
 * @param codedeploy settings when the backend is {@code codedeploy}
 * @param kubernetes settings when the backend is {@code kubernetes}
 * @param local settings when the backend is {@code local}
 */
public record Rollout(@NotNull Backend backend, @Valid CodeDeploy codedeploy, @Valid Kubernetes kubernetes,
		@DefaultValue @Valid LocalFleet local) {

	@AssertTrue(message = "backend codedeploy needs codedeploy.application and codedeploy.deployment-group")
	public boolean isCodedeployComplete() {
		return this.backend != Backend.CODEDEPLOY || (this.codedeploy != null && this.codedeploy.application() != null
				&& this.codedeploy.deploymentGroup() != null);
	}

	@AssertTrue(message = "backend kubernetes needs kubernetes.namespace, kubernetes.deployments, kubernetes.container"
			+ " and kubernetes.image (with {sha} or {tag} in it)")
	public boolean isKubernetesComplete() {
		return this.backend != Backend.KUBERNETES || (this.kubernetes != null && this.kubernetes.namespace() != null
				&& !this.kubernetes.deployments().isEmpty() && this.kubernetes.container() != null
				&& this.kubernetes.image() != null
				&& (this.kubernetes.image().contains("{sha}") || this.kubernetes.image().contains("{tag}")));
	}

	@AssertTrue(message = "kubernetes.max-unavailable and kubernetes.max-surge are a number of pods or a percentage,"
			+ " e.g. 1 or 50%")
	public boolean isKubernetesCountsValid() {
		return this.kubernetes == null
				|| (this.kubernetes.maxUnavailable().matches("\\d+%?") && this.kubernetes.maxSurge().matches("\\d+%?"));
	}

	public enum Backend {

		/** AWS CodeDeploy. */
		CODEDEPLOY,

		/** Kubernetes Deployments, rolled by their own RollingUpdate. */
		KUBERNETES,

		/** A fleet of processes on this machine's loopback. */
		LOCAL

	}

	/**
	 * @param application CodeDeploy application name
	 * @param deploymentGroup CodeDeploy deployment group
	 * @param deploymentConfig e.g. {@code CodeDeployDefault.HalfAtATime}
	 * @param revision where the bundle comes from
	 * @param alarms CloudWatch alarms that roll the deployment back
	 */
	public record CodeDeploy(String application, String deploymentGroup,
			@DefaultValue("CodeDeployDefault.HalfAtATime") String deploymentConfig,
			@DefaultValue @Valid Revision revision, @DefaultValue List<String> alarms) {

	}

	/**
	 * A GitHub revision (the app's repository at the deploy's SHA) unless an S3 bucket is
	 * named.
	 */
	public record Revision(String s3Bucket, String s3Key, @DefaultValue("zip") String bundleType) {

		@AssertTrue(message = "an S3 revision needs both s3-bucket and s3-key")
		public boolean isS3Complete() {
			return (this.s3Bucket == null) == (this.s3Key == null);
		}

	}

	/**
	 * @param namespace where the Deployments are
	 * @param deployments the Deployments of this target, all given the same image
	 * @param container the container (in each Deployment) whose image changes
	 * @param image the image to run, {@code {sha}} and {@code {tag}} replaced, e.g.
	 * {@code registry.example.com/convertkit:{sha}}
	 * @param maxUnavailable pods that may be down at once during the rollout:
	 * {@code 50%}, half at a time, like CodeDeploy's HalfAtATime
	 * @param maxSurge pods that may be added above the desired count during the rollout
	 */
	public record Kubernetes(String namespace, @DefaultValue List<String> deployments, String container, String image,
			@DefaultValue("50%") String maxUnavailable, @DefaultValue("0") String maxSurge) {

		public String image(String sha, String tag) {
			return this.image.replace("{sha}", sha).replace("{tag}", tag);
		}

	}

	/**
	 * @param instances instances in the fleet, rolled out half at a time
	 * @param healthTimeout how long a switched instance has to answer {@code /health}
	 * with 200
	 */
	public record LocalFleet(@DefaultValue("4") @Min(1) @Max(64) int instances,
			@DefaultValue("10s") Duration healthTimeout) {
	}

}
