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
 * @param local settings when the backend is {@code local}
 */
public record Rollout(@NotNull Backend backend, @Valid CodeDeploy codedeploy, @DefaultValue @Valid LocalFleet local) {

	@AssertTrue(message = "backend codedeploy needs codedeploy.application and codedeploy.deployment-group")
	public boolean isCodedeployComplete() {
		return this.backend != Backend.CODEDEPLOY || (this.codedeploy != null && this.codedeploy.application() != null
				&& this.codedeploy.deploymentGroup() != null);
	}

	public enum Backend {

		/** AWS CodeDeploy. */
		CODEDEPLOY,

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
	 * @param instances instances in the fleet, rolled out half at a time
	 * @param healthTimeout how long a switched instance has to answer {@code /health}
	 * with 200
	 */
	public record LocalFleet(@DefaultValue("4") @Min(1) @Max(64) int instances,
			@DefaultValue("10s") Duration healthTimeout) {
	}

}
