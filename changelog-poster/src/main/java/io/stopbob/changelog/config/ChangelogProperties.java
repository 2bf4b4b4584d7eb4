package io.stopbob.changelog.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How to reach GitHub; who it is to GitHub is {@code stop.github}
 * ({@link io.stopbob.github.GitHubAccess}), and with neither a token nor an app the local
 * history (JGit on the catalog's repository path) is read.
 *
 * @param githubApiUrl REST API base ({@code https://<host>/api/v3} for GitHub Enterprise)
 * @param attempts calls in all for one GitHub request, the first included
 * @param backoff pause before the first retry, doubled each time
 * @param maxWait the longest pause, also the longest rate-limit wait
 * @param postedHeld deploys whose changelog is known posted, the newest: a second
 * tag-created of a deploy comes from its re-drive while it runs, never thousands of
 * deploys later
 */
@ConfigurationProperties("stop.changelog")
public record ChangelogProperties(@DefaultValue("https://api.github.com") String githubApiUrl,
		@DefaultValue("4") int attempts, @DefaultValue("1s") Duration backoff, @DefaultValue("60s") Duration maxWait,
		@DefaultValue("10000") int postedHeld) {

}
