package io.stopbob.ingress.slack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.View;
import io.stopbob.ingress.command.CommandRouter;
import io.stopbob.ingress.command.QueueButton;
import io.stopbob.ingress.command.Reply;
import io.stopbob.ingress.command.SlashCommand;
import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.deploy.DeployRequests;
import io.stopbob.ingress.deploy.Problem;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.operations.Approvals;
import io.stopbob.ingress.operations.DeployQueue;
import io.stopbob.ingress.operations.Refusal;
import io.stopbob.ingress.operations.StateGuard;
import io.stopbob.ingress.operations.Rollbacks;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ingress.thread.ThreadMessages;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;
import io.stopbob.slack.SlackProperties;
import io.stopbob.slack.SlackText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bolt app: {@code /stop}, the deploy and rollback modals' submissions, and the
 * buttons (approve, reject, queue, cancel, roll back). Handlers only translate between
 * Slack's payloads and the use cases; modals open after the acknowledgement so the
 * command answers at once.
 */
public final class BoltApp {

	private static final Logger log = LoggerFactory.getLogger(BoltApp.class);

	private final UseCases useCases;

	private final SlackWorkspace workspace;

	private final Executor afterAck;

	private BoltApp(UseCases useCases, SlackWorkspace workspace, Executor afterAck) {
		this.useCases = useCases;
		this.workspace = workspace;
		this.afterAck = afterAck;
	}

	public static App create(SlackProperties properties, UseCases useCases, SlackWorkspace workspace,
			Executor afterAck) {
		SlackConfig slackConfig = new SlackConfig();
		slackConfig.setMethodsEndpointUrlPrefix(properties.apiUrl());
		slackConfig.setStatsEnabled(false);
		AppConfig config = AppConfig.builder()
			.signingSecret(properties.signingSecret())
			// Without a secret /slack/events is closed and requests come only over Socket
			// Mode.
			.requestVerificationEnabled(properties.verifiesRequests())
			.singleTeamBotToken(properties.local() ? null : properties.botToken())
			.slack(Slack.getInstance(slackConfig))
			.build();
		App app = new App(config);
		BoltApp handlers = new BoltApp(useCases, workspace, afterAck);
		app.command("/stop", handlers::command);
		app.viewSubmission(DeployModalView.CALLBACK_ID, handlers::submitDeploy);
		app.viewSubmission(RollbackModalView.CALLBACK_ID, handlers::submitRollback);
		app.blockAction(ThreadMessages.APPROVE, (request, context) -> handlers.decide(request, context, true));
		app.blockAction(ThreadMessages.REJECT, (request, context) -> handlers.decide(request, context, false));
		app.blockAction(ThreadMessages.QUEUE, handlers::queue);
		app.blockAction(ThreadMessages.CANCEL_QUEUED, handlers::cancelQueued);
		app.blockAction(ThreadMessages.ROLLBACK, handlers::rollbackButton);
		return app;
	}

	private Response command(SlashCommandRequest request, SlashCommandContext context) {
		var payload = request.getPayload();
		Reply reply;
		try {
			reply = this.useCases.router()
				.route(new SlashCommand(payload.getUserId(), payload.getUserName(), payload.getChannelId(),
						payload.getText(), payload.getTriggerId()));
		}
		catch (DeployRequests.Unconfirmed ex) {
			log.warn("/stop {} from {}: {}", payload.getText(), payload.getUserId(), ex.getMessage(), ex);
			return context.ack(":hourglass: " + SlackText.escape(ex.getMessage()) + ".");
		}
		catch (RuntimeException ex) {
			log.error("/stop {} from {} failed", payload.getText(), payload.getUserId(), ex);
			return context
				.ack(":x: That did not work: " + SlackText.escape(ex.getMessage()) + ". Nothing was deployed.");
		}
		if (reply instanceof Reply.OpenModal open) {
			afterAck(() -> this.workspace.openDeployModal(payload.getTriggerId(), open.modal()),
					"the deploy modal for " + open.modal().app(), context,
					"Try `/stop deploy " + open.modal().app() + " <environment> <sha>`.");
			return context.ack();
		}
		if (reply instanceof Reply.OpenRollbackModal open) {
			afterAck(() -> this.workspace.openRollbackModal(payload.getTriggerId(), open.modal()),
					"the rollback confirmation for " + open.modal().target(), context, "Try again.");
			return context.ack();
		}
		if (reply instanceof Reply.Later later) {
			this.afterAck.execute(() -> {
				String answer;
				try {
					answer = later.answer().get();
				}
				catch (RuntimeException ex) {
					log.warn("/stop {} from {}: the later answer failed", payload.getText(), payload.getUserId(), ex);
					answer = ":x: That did not work: " + SlackText.escape(ex.getMessage()) + ".";
				}
				try {
					context.respond(answer);
				}
				catch (java.io.IOException | RuntimeException ex) {
					log.warn("could not answer /stop {} from {}", payload.getText(), payload.getUserId(), ex);
				}
			});
			return context.ack(later.now());
		}
		Reply.Ephemeral ephemeral = (Reply.Ephemeral) reply;
		if (ephemeral.buttons().isEmpty()) {
			return context.ack(ephemeral.text());
		}
		return context
			.ack((r) -> r.text(ephemeral.text()).blocks(SlackBlocks.of(ephemeral.text(), ephemeral.buttons())));
	}

	private void afterAck(Runnable open, String what, SlashCommandContext context, String instead) {
		this.afterAck.execute(() -> {
			try {
				open.run();
			}
			catch (RuntimeException ex) {
				log.warn("could not open {}", what, ex);
				try {
					context
						.respond("Could not open " + what + " (" + SlackText.escape(ex.getMessage()) + "). " + instead);
				}
				catch (java.io.IOException | RuntimeException unreachable) {
					log.warn("could not tell the user either", unreachable);
				}
			}
		});
	}

	private Response submitDeploy(ViewSubmissionRequest request, ViewSubmissionContext context) {
		var payload = request.getPayload();
		View view = payload.getView();
		DeployRequest deploy = new DeployRequest(DeployModalView.app(view),
				DeployModalView.environment(view.getState()), DeployModalView.sha(view.getState()),
				person(payload.getUser().getId(), payload.getUser().getUsername(), payload.getUser().getName()),
				DeployModalView.reason(view.getState()), Kind.DEPLOY, DeployModalView.emergency(view.getState()));
		return submit(() -> this.useCases.requestDeploy().request(deploy), context, DeployModalView.ENVIRONMENT_BLOCK,
				DeployModalView::blockOf);
	}

	private Response submitRollback(ViewSubmissionRequest request, ViewSubmissionContext context) {
		var payload = request.getPayload();
		View view = payload.getView();
		Target target = RollbackModalView.target(view);
		Person by = person(payload.getUser().getId(), payload.getUser().getUsername(), payload.getUser().getName());
		return submit(() -> this.useCases.rollbacks().rollback(target, RollbackModalView.sha(view), by), context,
				RollbackModalView.REASON_BLOCK, (problem) -> RollbackModalView.REASON_BLOCK);
	}

	private Response submit(Supplier<RequestDeploy.Result> work, ViewSubmissionContext context, String generalBlock,
			java.util.function.Function<Problem, String> blockOf) {
		RequestDeploy.Result result;
		try {
			this.useCases.guard().require();
			result = work.get();
		}
		catch (Refusal refusal) {
			return context.ackWithErrors(Map.of(generalBlock, refusal.getMessage()));
		}
		catch (DeployRequests.Unconfirmed ex) {
			log.warn("a modal's deploy is unconfirmed: {}", ex.getMessage(), ex);
			return context.ackWithErrors(Map.of(generalBlock, ex.getMessage() + "."));
		}
		catch (RuntimeException ex) {
			log.error("a modal's deploy failed to start", ex);
			return context.ackWithErrors(Map.of(generalBlock,
					"Could not start it (" + ex.getMessage() + "). Nothing was changed; try again."));
		}
		if (result instanceof RequestDeploy.Result.Refused refused) {
			Map<String, String> errors = new LinkedHashMap<>();
			for (Problem problem : refused.problems()) {
				errors.merge(blockOf.apply(problem), problem.message(), (a, b) -> a + " " + b);
			}
			return context.ackWithErrors(errors);
		}
		return context.ack();
	}

	private Response decide(BlockActionRequest request, ActionContext context, boolean approve) {
		var payload = request.getPayload();
		String deployId = payload.getActions().get(0).getValue();
		Person by = person(payload.getUser().getId(), payload.getUser().getUsername(), payload.getUser().getName());
		return answer(context, false, () -> this.useCases.approvals().decide(deployId, by, approve));
	}

	private Response queue(BlockActionRequest request, ActionContext context) {
		var payload = request.getPayload();
		Person by = person(payload.getUser().getId(), payload.getUser().getUsername(), payload.getUser().getName());
		// The refusal it sat under is replaced, so the button cannot be pressed twice.
		return answer(context, true,
				() -> this.useCases.queue()
					.enqueue(QueueButton.request(payload.getActions().get(0).getValue(), by))
					.message());
	}

	private Response cancelQueued(BlockActionRequest request, ActionContext context) {
		var payload = request.getPayload();
		Person by = person(payload.getUser().getId(), payload.getUser().getUsername(), payload.getUser().getName());
		return answer(context, true, () -> this.useCases.queue().cancel(payload.getActions().get(0).getValue(), by));
	}

	private Response rollbackButton(BlockActionRequest request, ActionContext context) {
		var payload = request.getPayload();
		String[] target = payload.getActions().get(0).getValue().split("/", 2);
		this.afterAck.execute(() -> {
			try {
				this.useCases.guard().require();
				this.workspace.openRollbackModal(payload.getTriggerId(),
						this.useCases.rollbacks().plan(target[0], (target.length > 1) ? target[1] : null));
			}
			catch (RuntimeException ex) {
				log.info("rollback of {} not offered: {}", payload.getActions().get(0).getValue(), ex.getMessage());
				respond(context, false, ":no_entry: " + SlackText.escape(ex.getMessage()));
			}
		});
		return context.ack();
	}

	/** Acknowledges the button, then tells the presser the outcome, only to them. */
	private Response answer(ActionContext context, boolean replaceOriginal, Supplier<String> work) {
		this.afterAck.execute(() -> {
			String text;
			try {
				this.useCases.guard().require();
				text = work.get();
			}
			catch (Refusal refusal) {
				text = ":no_entry: " + refusal.getMessage();
			}
			catch (DeployRequests.Unconfirmed ex) {
				log.warn("a button's deploy is unconfirmed: {}", ex.getMessage(), ex);
				text = ":hourglass: " + SlackText.escape(ex.getMessage()) + ".";
			}
			catch (RuntimeException ex) {
				log.error("a button's action failed", ex);
				text = ":x: That did not work: " + SlackText.escape(ex.getMessage()) + ". Try again.";
			}
			respond(context, replaceOriginal, text);
		});
		return context.ack();
	}

	private static void respond(ActionContext context, boolean replaceOriginal, String text) {
		try {
			context.respond((r) -> r.responseType("ephemeral").replaceOriginal(replaceOriginal).text(text));
		}
		catch (java.io.IOException | RuntimeException ex) {
			log.warn("could not answer a button press", ex);
		}
	}

	private static Person person(String id, String username, String name) {
		return new Person(id, (username != null) ? username : name);
	}

	/** What the Slack handlers call. */
	public record UseCases(CommandRouter router, RequestDeploy requestDeploy, Approvals approvals, DeployQueue queue,
			Rollbacks rollbacks, StateGuard guard) {
	}

}
