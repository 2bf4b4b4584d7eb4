package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.deploy.Problem;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.thread.SlackWorkspace.DeployModal;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.slack.SlackText;

/**
 * {@code /stop deploy <app>} opens the modal; {@code /stop deploy <app> <env> <sha>}
 * deploys at once, with the same checks. {@code --emergency <why>} deploys inside a
 * freeze window. A busy target answers with a "Queue it" button.
 */
public class DeployCommand implements CommandHandler {

	private final Catalog catalog;

	private final RequestDeploy requestDeploy;

	public DeployCommand(Catalog catalog, RequestDeploy requestDeploy) {
		this.catalog = catalog;
		this.requestDeploy = requestDeploy;
	}

	@Override
	public String name() {
		return "deploy";
	}

	@Override
	public String usage() {
		return "deploy <app> [<environment> <sha> [--emergency <why>]]";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		String emergency = null;
		if (args.size() > 3 && "--emergency".equals(args.get(3))) {
			emergency = String.join(" ", args.subList(4, args.size()));
			if (emergency.isBlank()) {
				return new Reply.Ephemeral("`--emergency` needs the reason after it; it is recorded and announced.");
			}
			args = args.subList(0, 3);
		}
		if (args.isEmpty() || args.size() == 2 || args.size() > 3) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`. Known apps: " + knownApps());
		}
		String appName = args.get(0).toLowerCase();
		App app = this.catalog.app(appName).orElse(null);
		if (app == null) {
			return new Reply.Ephemeral(
					"I don't know the app `" + SlackText.escape(args.get(0)) + "`. Known apps: " + knownApps());
		}
		if (args.size() == 1) {
			return new Reply.OpenModal(
					new DeployModal(appName, List.copyOf(app.environmentNames()), command.channelId()));
		}
		DeployRequest request = new DeployRequest(appName, args.get(1).toLowerCase(), args.get(2),
				new Person(command.userId(), command.userName()), null, Kind.DEPLOY, emergency);
		RequestDeploy.Result result = this.requestDeploy.request(request);
		if (result instanceof RequestDeploy.Result.Refused refused) {
			String text = ":no_entry: Not deploying: " + String.join(" ",
					refused.problems().stream().map(Problem::message).map(SlackText::escape).toList());
			return refused.onlyBusy() ? new Reply.Ephemeral(text, List.of(QueueButton.of(request)))
					: new Reply.Ephemeral(text);
		}
		RequestDeploy.Result.Accepted accepted = (RequestDeploy.Result.Accepted) result;
		if (accepted.awaitingApproval()) {
			return new Reply.Ephemeral("Asked: " + accepted.deployId() + " waits for a second person to approve it in "
					+ app.deployChannel() + " (until " + Describe.time(accepted.approvalExpiresAt()) + ").");
		}
		return new Reply.Ephemeral(
				"On it: " + accepted.deployId() + ". Follow it in the thread in " + app.deployChannel() + ".");
	}

	private String knownApps() {
		return String.join(", ", this.catalog.appNames());
	}

}
