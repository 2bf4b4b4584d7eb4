package io.stopbob.rollout.config;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stopbob.ledger.Ledger;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Rollout;
import io.stopbob.platform.retry.Outages;
import io.stopbob.platform.retry.Retrying;
import io.stopbob.rollout.codedeploy.CodeDeployBackend;
import io.stopbob.rollout.kubernetes.KubernetesBackend;
import io.stopbob.rollout.local.LocalFleet;
import io.stopbob.rollout.rolling.FollowRollout;
import io.stopbob.rollout.rolling.RolloutBackend;
import io.stopbob.rollout.rolling.RolloutEvents;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClientBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The rollout use case and its backends, chosen per target by the catalog. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RolloutProperties.class)
class RolloutConfiguration {

	@Bean(destroyMethod = "shutdownNow")
	ExecutorService localFleetRunner() {
		return Executors.newFixedThreadPool(4);
	}

	@Bean(destroyMethod = "close")
	LocalFleet localFleet(ExecutorService localFleetRunner) {
		return new LocalFleet(localFleetRunner);
	}

	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService rolloutPolls() {
		return Executors.newScheduledThreadPool(2);
	}

	/**
	 * Made only when the catalog has a Kubernetes target: in-cluster config or
	 * kubeconfig, as fabric8 resolves them.
	 */
	@Bean(destroyMethod = "close")
	@Lazy
	KubernetesClient kubernetesClient() {
		return new KubernetesClientBuilder().build();
	}

	@Bean
	FollowRollout followRollout(Catalog catalog, Ledger ledger, LocalFleet localFleet, RolloutEvents events,
			Outages outages, ScheduledExecutorService rolloutPolls, Clock clock, RolloutProperties properties,
			ObjectProvider<KubernetesClient> kubernetesClient, @Value("${spring.application.name}") String producer) {
		Map<Rollout.Backend, RolloutBackend> backends = new EnumMap<>(Rollout.Backend.class);
		backends.put(Rollout.Backend.LOCAL, localFleet);
		// A CodeDeploy client (and its region and credentials) only where the catalog has
		// such targets.
		if (uses(catalog, Rollout.Backend.CODEDEPLOY)) {
			RolloutProperties.CodeDeploy settings = properties.codedeploy();
			backends.put(Rollout.Backend.CODEDEPLOY, new CodeDeployBackend(codeDeployClient(settings),
					new Retrying("CodeDeploy", settings.attempts(), settings.backoff(), settings.maxWait())));
		}
		if (uses(catalog, Rollout.Backend.KUBERNETES)) {
			RolloutProperties.Kubernetes settings = properties.kubernetes();
			backends.put(Rollout.Backend.KUBERNETES, new KubernetesBackend(kubernetesClient.getObject(),
					new Retrying("Kubernetes", settings.attempts(), settings.backoff(), settings.maxWait()), clock));
		}
		return new FollowRollout(catalog, ledger, backends, events, outages, rolloutPolls, clock,
				properties.pollInterval(), properties.startBuiltWithin(), producer);
	}

	private static boolean uses(Catalog catalog, Rollout.Backend backend) {
		return catalog.apps()
			.values()
			.stream()
			.flatMap((app) -> app.environments().values().stream())
			.anyMatch((environment) -> environment.rollout().backend() == backend);
	}

	private static CodeDeployClient codeDeployClient(RolloutProperties.CodeDeploy settings) {
		CodeDeployClientBuilder builder = CodeDeployClient.builder()
			.credentialsProvider(DefaultCredentialsProvider.builder().build());
		if (settings.region() != null && !settings.region().isBlank()) {
			builder.region(Region.of(settings.region()));
		}
		if (settings.endpoint() != null) {
			builder.endpointOverride(settings.endpoint());
		}
		return builder.build();
	}

}
