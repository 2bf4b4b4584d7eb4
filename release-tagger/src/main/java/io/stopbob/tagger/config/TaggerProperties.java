package io.stopbob.tagger.config;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of release-tagger. Secrets come from the environment (the GitHub token or app
 * of {@code stop.github}, {@code GITHUB_WEBHOOK_SECRET}); with neither a token nor an app
 * the local adapters (JGit, command CI) are used.
 *
 * @param tagRequestedWithin a request the ledger has untagged when release-tagger catches
 * up (after a restart, or handed over as history) is tagged only if it was asked for
 * within this long; an older one is refused, since nobody may wait for it any more
 */
@ConfigurationProperties("stop.tagger")
public record TaggerProperties(@DefaultValue GitHub github, @DefaultValue Ci ci,
		@DefaultValue("15m") Duration tagRequestedWithin) {

	/**
	 * @param apiUrl REST API base ({@code https://<host>/api/v3} for GitHub Enterprise)
	 * @param webhookSecret verifies {@code /webhooks/github}; empty turns webhooks off
	 * (the poller still works)
	 * @param attempts calls in all for one GitHub request, the first included
	 * @param backoff pause before the first retry, doubled each time
	 * @param maxWait the longest pause, also the longest rate-limit wait before the
	 * deploy fails
	 */
	public record GitHub(@DefaultValue("https://api.github.com") String apiUrl, String webhookSecret,
			@DefaultValue("4") int attempts, @DefaultValue("1s") Duration backoff,
			@DefaultValue("60s") Duration maxWait) {
	}

	/**
	 * @param pollInterval first pause between CI checks; grows by half each time
	 * @param maxPollInterval the longest pause between CI checks
	 * @param workDir where the local CI checks out tags and writes build logs
	 * @param commandTimeout the longest a local CI command may run
	 * @param runsHeld local CI results held, the newest: a tag polled again after it was
	 * forgotten is built again
	 */
	public record Ci(@DefaultValue("5s") Duration pollInterval, @DefaultValue("60s") Duration maxPollInterval,
			@DefaultValue(".stop/ci") Path workDir, @DefaultValue("30m") Duration commandTimeout,
			@DefaultValue("1000") int runsHeld) {
	}

}
