package io.stopbob.rollout.config;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.stopbob.ledger.Ledger;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Rollout;
import io.stopbob.rollout.local.LocalFleet;
import io.stopbob.rollout.rolling.FollowRollout;
import io.stopbob.rollout.rolling.RolloutEvents;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

	@Bean
	FollowRollout followRollout(Catalog catalog, Ledger ledger, LocalFleet localFleet, RolloutEvents events,
			ScheduledExecutorService rolloutPolls, Clock clock, RolloutProperties properties,
			@Value("${spring.application.name}") String producer) {
		return new FollowRollout(catalog, ledger, Map.of(Rollout.Backend.LOCAL, localFleet), events, rolloutPolls,
				clock, properties.pollInterval(), producer);
	}

}
