package io.stopbob.slack;

import java.time.Clock;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The one Slack Web API client setup, and who is in which user group; only when a bot
 * token is configured.
 */
@AutoConfiguration
@EnableConfigurationProperties(SlackProperties.class)
public class SlackAutoConfiguration {

	@Bean
	@ConditionalOnExpression("'${stop.slack.bot-token:}' != ''")
	SlackApi slackApi(SlackProperties properties, MeterRegistry meters) {
		SlackConfig config = new SlackConfig();
		config.setMethodsEndpointUrlPrefix(properties.apiUrl());
		// The SDK's own metrics start background threads; Micrometer counts what matters.
		config.setStatsEnabled(false);
		return new SlackApi(Slack.getInstance(config).methods(properties.botToken()), properties.retry(), meters);
	}

	@Bean
	@ConditionalOnExpression("'${stop.slack.bot-token:}' != ''")
	SlackGroups slackGroups(SlackApi slackApi, Clock clock) {
		return new SlackGroups(slackApi, clock);
	}

}
