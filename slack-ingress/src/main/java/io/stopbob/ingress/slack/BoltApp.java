package io.stopbob.ingress.slack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.View;
import io.stopbob.ingress.command.CommandRouter;
import io.stopbob.ingress.command.Reply;
import io.stopbob.ingress.command.SlashCommand;
import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.deploy.Problem;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.slack.SlackProperties;
import io.stopbob.slack.SlackText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bolt app: {@code /stop} and the deploy modal's submission. Handlers only translate
 * between Slack's payloads and the use cases; the modal opens after the acknowledgement
 * so the command answers at once.
 */
public final class BoltApp {

	private static final Logger log = LoggerFactory.getLogger(BoltApp.class);

	private final CommandRouter router;

	private final RequestDeploy requestDeploy;

	private final SlackWorkspace workspace;

	private final Executor afterAck;

	private BoltApp(CommandRouter router, RequestDeploy requestDeploy, SlackWorkspace workspace, Executor afterAck) {
		this.router = router;
		this.requestDeploy = requestDeploy;
		this.workspace = workspace;
		this.afterAck = afterAck;
	}

	public static App create(SlackProperties properties, CommandRouter router, RequestDeploy requestDeploy,
			SlackWorkspace workspace, Executor afterAck) {
		SlackConfig slackConfig = new SlackConfig();
		slackConfig.setMethodsEndpointUrlPrefix(properties.apiUrl());
		slackConfig.setStatsEnabled(false);
		AppConfig config = AppConfig.builder()
			.signingSecret(properties.signingSecret())
			.singleTeamBotToken(properties.local() ? null : properties.botToken())
			.slack(Slack.getInstance(slackConfig))
			.build();
		App app = new App(config);
		BoltApp handlers = new BoltApp(router, requestDeploy, workspace, afterAck);
		app.command("/stop", handlers::command);
		app.viewSubmission(DeployModalView.CALLBACK_ID, handlers::submitDeploy);
		return app;
	}

	private Response command(SlashCommandRequest request, SlashCommandContext context) {
		var payload = request.getPayload();
		Reply reply;
		try {
			reply = this.router.route(new SlashCommand(payload.getUserId(), payload.getUserName(),
					payload.getChannelId(), payload.getText(), payload.getTriggerId()));
		}
		catch (RuntimeException ex) {
			log.error("/stop {} from {} failed", payload.getText(), payload.getUserId(), ex);
			return context
				.ack(":x: That did not work: " + SlackText.escape(ex.getMessage()) + ". Nothing was deployed.");
		}
		if (reply instanceof Reply.OpenModal open) {
			this.afterAck.execute(() -> openModal(payload.getTriggerId(), open, context));
			return context.ack();
		}
		return context.ack(((Reply.Ephemeral) reply).text());
	}

	private void openModal(String triggerId, Reply.OpenModal open, SlashCommandContext context) {
		try {
			this.workspace.openDeployModal(triggerId, open.modal());
		}
		catch (RuntimeException ex) {
			log.warn("could not open the deploy modal for {}", open.modal().app(), ex);
			try {
				context.respond("Could not open the deploy modal (" + SlackText.escape(ex.getMessage())
						+ "). Try `/stop deploy " + open.modal().app() + " <environment> <sha>`.");
			}
			catch (java.io.IOException | RuntimeException unreachable) {
				log.warn("could not tell the user either", unreachable);
			}
		}
	}

	private Response submitDeploy(ViewSubmissionRequest request, ViewSubmissionContext context) {
		var payload = request.getPayload();
		View view = payload.getView();
		DeployRequest deploy = new DeployRequest(DeployModalView.app(view),
				DeployModalView.environment(view.getState()), DeployModalView.sha(view.getState()),
				new Person(payload.getUser().getId(), (payload.getUser().getUsername() != null)
						? payload.getUser().getUsername() : payload.getUser().getName()),
				DeployModalView.reason(view.getState()), Kind.DEPLOY);
		RequestDeploy.Result result;
		try {
			result = this.requestDeploy.request(deploy);
		}
		catch (RuntimeException ex) {
			log.error("deploy from the modal failed to start", ex);
			return context.ackWithErrors(Map.of(DeployModalView.ENVIRONMENT_BLOCK,
					"Could not start the deploy (" + ex.getMessage() + "). Nothing was changed; try again."));
		}
		if (result instanceof RequestDeploy.Result.Refused refused) {
			Map<String, String> errors = new LinkedHashMap<>();
			for (Problem problem : refused.problems()) {
				errors.merge(DeployModalView.blockOf(problem), problem.message(), (a, b) -> a + " " + b);
			}
			return context.ackWithErrors(errors);
		}
		return context.ack();
	}

}
