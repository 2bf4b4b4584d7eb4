package io.stopbob.ingress.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import io.stopbob.ingress.command.CommandRouter;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.operations.Approvals;
import io.stopbob.ingress.operations.DeployQueue;
import io.stopbob.ingress.operations.Rollbacks;
import io.stopbob.ingress.local.ConsoleWorkspace;
import io.stopbob.ingress.slack.BoltApp;
import io.stopbob.ingress.slack.SlackAdapters;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.slack.ConsoleSlack;
import io.stopbob.slack.SlackApi;
import io.stopbob.slack.SlackProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Slack: the real workspace when a bot token is configured, the console otherwise.
 * Requests are verified with the signing secret either way; Socket Mode starts only with
 * an app-level token.
 */
@Configuration(proxyBeanMethods = false)
class SlackConfiguration {

	@Bean
	SlackWorkspace slackWorkspace(SlackProperties properties, ObjectProvider<SlackApi> slackApi, Clock clock) {
		if (properties.local()) {
			return new ConsoleWorkspace(new ConsoleSlack(System.out));
		}
		return SlackAdapters.workspace(slackApi.getObject(), clock);
	}

	@Bean
	App boltApp(SlackProperties properties, CommandRouter router, RequestDeploy requestDeploy, Approvals approvals,
			DeployQueue queue, Rollbacks rollbacks, SlackWorkspace workspace, ExecutorService afterAck) {
		return BoltApp.create(properties, new BoltApp.UseCases(router, requestDeploy, approvals, queue, rollbacks),
				workspace, afterAck);
	}

	@Bean
	SlackSignature.Verifier slackSignatureVerifier(SlackProperties properties) {
		return new SlackSignature.Verifier(new SlackSignature.Generator(properties.signingSecret()));
	}

	@Bean(initMethod = "startAsync", destroyMethod = "close")
	@ConditionalOnExpression("'${stop.slack.app-token:}' != ''")
	SocketModeApp socketMode(SlackProperties properties, App app) throws java.io.IOException {
		return new SocketModeApp(properties.appToken(), app);
	}

}
