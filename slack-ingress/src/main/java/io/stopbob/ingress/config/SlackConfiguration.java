package io.stopbob.ingress.config;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import io.stopbob.ingress.command.CommandRouter;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.operations.Approvals;
import io.stopbob.ingress.operations.DeployQueue;
import io.stopbob.ingress.operations.Rollbacks;
import io.stopbob.ingress.operations.StateGuard;
import io.stopbob.ingress.local.ConsoleWorkspace;
import io.stopbob.ingress.messaging.KafkaSignedRequests;
import io.stopbob.ingress.slack.BoltApp;
import io.stopbob.ingress.slack.SlackAdapters;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.slack.ConsoleSlack;
import io.stopbob.slack.SlackApi;
import io.stopbob.platform.bus.BusProperties;
import io.stopbob.schemas.Topics;
import io.stopbob.slack.SlackProperties;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Slack: the real workspace when a bot token is configured, the console otherwise.
 * Requests are verified with the signing secret either way; Socket Mode starts only with
 * an app-level token.
 */
@Configuration(proxyBeanMethods = false)
class SlackConfiguration {

	@Bean
	SlackWorkspace slackWorkspace(SlackProperties properties, ObjectProvider<SlackApi> slackApi) {
		if (properties.local()) {
			return new ConsoleWorkspace(new ConsoleSlack(System.out));
		}
		return SlackAdapters.workspace(slackApi.getObject());
	}

	@Bean
	App boltApp(SlackProperties properties, CommandRouter router, RequestDeploy requestDeploy, Approvals approvals,
			DeployQueue queue, Rollbacks rollbacks, StateGuard guard, SlackWorkspace workspace,
			ExecutorService afterAck) {
		return BoltApp.create(properties,
				new BoltApp.UseCases(router, requestDeploy, approvals, queue, rollbacks, guard), workspace, afterAck);
	}

	/**
	 * No default secret: a public one would let anyone sign a request as any user. With a
	 * bot token and no Socket Mode, Slack reaches this service only over HTTP, so it must
	 * verify: refuse to start. Otherwise no secret means no verifier, and no HTTP door.
	 */
	@Bean
	SlackSignature.Verifier slackSignatureVerifier(SlackProperties properties) {
		if (!properties.verifiesRequests()) {
			if (!properties.local() && !properties.socketMode()) {
				throw new IllegalStateException("SLACK_SIGNING_SECRET is not set: slack-ingress has a bot token"
						+ " (SLACK_BOT_TOKEN) and no Socket Mode (SLACK_APP_TOKEN), so Slack's requests arrive at"
						+ " /slack/events, which cannot be verified without the app's signing secret");
			}
			return null;
		}
		return new SlackSignature.Verifier(new SlackSignature.Generator(properties.signingSecret()));
	}

	@Bean
	KafkaSignedRequests signedRequests(ProducerFactory<?, ?> producers, ConsumerFactory<?, ?> consumers, Clock clock) {
		return new KafkaSignedRequests(producers, consumers, clock);
	}

	/**
	 * Accepted signatures, kept as long as a request may be replayed and a little more.
	 */
	@Bean
	NewTopic slackRequestsTopic(BusProperties bus) {
		return new NewTopic(Topics.SLACK_REQUESTS, Optional.of(bus.partitions()), bus.replicas())
			.configs(Map.of("retention.ms", Long.toString(Duration.ofMinutes(15).toMillis())));
	}

	@Bean(initMethod = "startAsync", destroyMethod = "close")
	@ConditionalOnExpression("'${stop.slack.app-token:}' != ''")
	SocketModeApp socketMode(SlackProperties properties, App app) throws java.io.IOException {
		return new SocketModeApp(properties.appToken(), app);
	}

}
