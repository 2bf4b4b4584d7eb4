package io.stopbob.rollout.config;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param pollInterval how often a running rollout is asked for its state (jittered by up
 * to a fifth, doubled after an error)
 * @param startBuiltWithin a release is rolled out only if it was built within this long;
 * an older one (seen after an outage) waits to be re-driven ({@code bin/stop replay
 * --deploy}), so a service coming back never rolls out a stale release
 * @param codedeploy how to reach AWS CodeDeploy, for the catalog's codedeploy targets
 * @param kubernetes how calls to Kubernetes are retried, for the catalog's kubernetes
 * targets
 */
@ConfigurationProperties("stop.rollout")
public record RolloutProperties(@DefaultValue("5s") Duration pollInterval,
		@DefaultValue("15m") Duration startBuiltWithin, @DefaultValue CodeDeploy codedeploy,
		@DefaultValue Kubernetes kubernetes) {

	/**
	 * Credentials come from the default chain (an assumed IAM role in production,
	 * environment or profile elsewhere), never from here.
	 *
	 * @param region AWS region; empty takes the default chain ({@code AWS_REGION},
	 * profile)
	 * @param endpoint endpoint override (tests point it at a stub)
	 * @param attempts calls in all for one request, the first included, on top of the
	 * SDK's retries
	 * @param backoff pause before the first retry, doubled each time
	 * @param maxWait the longest pause
	 */
	public record CodeDeploy(String region, URI endpoint, @DefaultValue("4") int attempts,
			@DefaultValue("1s") Duration backoff, @DefaultValue("30s") Duration maxWait) {
	}

	/**
	 * The cluster is found as fabric8 finds it: in-cluster service account, or kubeconfig
	 * ({@code KUBECONFIG}, {@code ~/.kube/config}, its current context).
	 *
	 * @param attempts calls in all for one request, the first included
	 * @param backoff pause before the first retry, doubled each time
	 * @param maxWait the longest pause
	 */
	public record Kubernetes(@DefaultValue("4") int attempts, @DefaultValue("1s") Duration backoff,
			@DefaultValue("30s") Duration maxWait) {
	}

}
