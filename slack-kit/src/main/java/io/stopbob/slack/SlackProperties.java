package io.stopbob.slack;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How to reach Slack. Secrets come from the environment ({@code SLACK_BOT_TOKEN},
 * {@code SLACK_SIGNING_SECRET}, {@code SLACK_APP_TOKEN}); with no bot token the services
 * use the local console Slack.
 *
 * @param botToken {@code xoxb-} token for the Web API; empty means local mode
 * @param signingSecret verifies requests from Slack (and from the local command line); no
 * default: without it {@code /slack/events} is not served, and slack-ingress with a bot
 * token and no Socket Mode refuses to start
 * @param appToken {@code xapp-} token; when set, slash commands arrive over Socket Mode
 * @param apiUrl the Web API base URL (tests point it at a stub)
 * @param retry how failed calls are retried
 */
@ConfigurationProperties("stop.slack")
public record SlackProperties(String botToken, String signingSecret, String appToken,
		@DefaultValue("https://slack.com/api/") String apiUrl, @DefaultValue Retry retry) {

	public boolean local() {
		return this.botToken == null || this.botToken.isBlank();
	}

	public boolean verifiesRequests() {
		return this.signingSecret != null && !this.signingSecret.isBlank();
	}

	public boolean socketMode() {
		return this.appToken != null && !this.appToken.isBlank();
	}

	/**
	 * @param attempts calls in all, the first included
	 * @param backoff pause before the first retry, doubled each time
	 * @param maxWait the longest pause, also the cap on a 429's Retry-After
	 */
	public record Retry(@DefaultValue("5") int attempts, @DefaultValue("500ms") Duration backoff,
			@DefaultValue("30s") Duration maxWait) {
	}

}
