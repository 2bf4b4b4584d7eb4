package io.stopbob.ingress.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param apiToken bearer token for {@code /api/deploys} ({@code STOP_API_TOKEN}); empty
 * disables the API
 * @param apiUser the Slack user the API acts as when a request names none
 * @param sweepInterval how often approvals are checked for expiry and queues for a free
 * target
 */
@ConfigurationProperties("stop.ingress")
public record IngressProperties(String apiToken, @DefaultValue("api") String apiUser,
		@DefaultValue("1s") Duration sweepInterval) {
}
