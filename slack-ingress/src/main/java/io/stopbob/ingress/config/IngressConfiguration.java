package io.stopbob.ingress.config;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.stopbob.ingress.command.CommandHandler;
import io.stopbob.ingress.command.CommandRouter;
import io.stopbob.ingress.command.DeployCommand;
import io.stopbob.ingress.deploy.DeployRequests;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.deploy.RequestPolicy;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ingress.thread.ThreadReporter;
import io.stopbob.ledger.Ledger;
import io.stopbob.platform.catalog.Catalog;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The use cases and their wiring; adapters come from {@link SlackConfiguration}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngressProperties.class)
class IngressConfiguration {

	@Bean
	RequestPolicy requestPolicy(Catalog catalog, Ledger ledger, SlackWorkspace slack, Clock clock) {
		return new RequestPolicy(catalog, ledger, slack, clock);
	}

	@Bean
	RequestDeploy requestDeploy(RequestPolicy policy, Catalog catalog, Ledger ledger, SlackWorkspace slack,
			DeployRequests requests, Clock clock, @Value("${spring.application.name}") String producer) {
		return new RequestDeploy(policy, catalog, ledger, slack, requests, clock, producer);
	}

	@Bean
	DeployCommand deployCommand(Catalog catalog, RequestDeploy requestDeploy) {
		return new DeployCommand(catalog, requestDeploy);
	}

	@Bean
	CommandRouter commandRouter(List<CommandHandler> handlers) {
		return new CommandRouter(handlers);
	}

	@Bean
	ThreadReporter threadReporter(Ledger ledger, SlackWorkspace slack) {
		return new ThreadReporter(ledger, slack);
	}

	/**
	 * Work a command starts after its acknowledgement (opening a modal); bounded, never
	 * dropped.
	 */
	@Bean(destroyMethod = "shutdown")
	ExecutorService afterAck() {
		return new ThreadPoolExecutor(2, 8, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000),
				new ThreadPoolExecutor.CallerRunsPolicy());
	}

}
