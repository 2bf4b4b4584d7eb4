package io.stopbob.tagger.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.stopbob.github.GitHubAccess;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.rules.TargetRules;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.retry.Outages;
import io.stopbob.tagger.ci.CiGate;
import io.stopbob.tagger.ci.CiStatus;
import io.stopbob.tagger.github.GitHubAdapters;
import io.stopbob.tagger.local.CommandCi;
import io.stopbob.tagger.local.JGitGitHost;
import io.stopbob.tagger.tagging.GitHost;
import io.stopbob.tagger.tagging.PipelineEvents;
import io.stopbob.tagger.tagging.TagRelease;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The use cases, and GitHub or the local adapters depending on whether a token is set.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ TaggerProperties.class, GitHubAccess.class })
class TaggerConfiguration {

	@Bean
	GitHubAdapters gitHubAdapters(TaggerProperties properties, GitHubAccess access) {
		TaggerProperties.GitHub github = properties.github();
		return access.local() ? null
				: new GitHubAdapters(access, github.apiUrl(), github.attempts(), github.backoff(), github.maxWait());
	}

	@Bean
	GitHost gitHost(GitHubAccess access, org.springframework.beans.factory.ObjectProvider<GitHubAdapters> github) {
		return access.local() ? new JGitGitHost() : github.getObject().gitHost();
	}

	@Bean(destroyMethod = "shutdownNow")
	ExecutorService localCiRunner() {
		return Executors.newFixedThreadPool(2);
	}

	@Bean
	CiStatus ciStatus(TaggerProperties properties, GitHubAccess access,
			org.springframework.beans.factory.ObjectProvider<GitHubAdapters> github, ExecutorService localCiRunner) {
		return access.local() ? new CommandCi(properties.ci().workDir(), properties.ci().commandTimeout(),
				properties.ci().runsHeld(), localCiRunner) : github.getObject().ciStatus();
	}

	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService ciPolls() {
		return Executors.newScheduledThreadPool(2);
	}

	@Bean
	CiGate ciGate(Catalog catalog, Ledger ledger, CiStatus ciStatus, PipelineEvents events, Outages outages,
			ScheduledExecutorService ciPolls, Clock clock, TaggerProperties properties,
			@Value("${spring.application.name}") String producer) {
		return new CiGate(catalog, ledger, ciStatus, events, outages, ciPolls, clock, properties.ci().pollInterval(),
				properties.ci().maxPollInterval(), producer);
	}

	@Bean
	TagRelease tagRelease(Catalog catalog, Ledger ledger, GitHost gitHost, PipelineEvents events, CiGate ciGate,
			TargetRules rules, Clock clock, TaggerProperties properties,
			@Value("${spring.application.name}") String producer) {
		return new TagRelease(catalog, ledger, gitHost, events, ciGate, rules, clock, properties.tagRequestedWithin(),
				producer);
	}

}
