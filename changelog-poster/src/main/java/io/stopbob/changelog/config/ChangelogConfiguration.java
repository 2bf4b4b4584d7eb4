package io.stopbob.changelog.config;

import io.stopbob.changelog.changes.ChangeHistory;
import io.stopbob.changelog.changes.ChangelogChannel;
import io.stopbob.changelog.changes.PostChangelog;
import io.stopbob.changelog.github.GitHubChangeHistory;
import io.stopbob.changelog.local.ConsoleChangelogChannel;
import io.stopbob.changelog.local.JGitChangeHistory;
import io.stopbob.changelog.slack.SlackChangelogChannel;
import io.stopbob.github.GitHubCalls;
import io.stopbob.github.GitHubAccess;
import io.stopbob.github.GitHubClients;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.slack.ConsoleSlack;
import io.stopbob.slack.SlackApi;
import io.stopbob.slack.SlackProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * GitHub or the local history; Slack or the console, each by whether its token is set.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ChangelogProperties.class, GitHubAccess.class })
class ChangelogConfiguration {

	@Bean
	ChangeHistory changeHistory(ChangelogProperties properties, GitHubAccess access) {
		if (access.local()) {
			return new JGitChangeHistory();
		}
		return new GitHubChangeHistory(GitHubClients.connect(access, properties.githubApiUrl()).api(),
				new GitHubCalls(properties.attempts(), properties.backoff(), properties.maxWait()));
	}

	@Bean
	ChangelogChannel changelogChannel(SlackProperties slack, ObjectProvider<SlackApi> slackApi) {
		return slack.local() ? new ConsoleChangelogChannel(new ConsoleSlack(System.out))
				: new SlackChangelogChannel(slackApi.getObject());
	}

	@Bean
	PostChangelog postChangelog(Catalog catalog, ChangeHistory history, ChangelogChannel channel) {
		return new PostChangelog(catalog, history, channel);
	}

}
