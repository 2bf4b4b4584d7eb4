package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.operations.DeployQueue;
import io.stopbob.ingress.thread.SlackWorkspace.Button;
import io.stopbob.ingress.thread.ThreadMessages;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;

/**
 * {@code /stop queue <app> <env> <sha> [reason]}: deploy when the target is free, in
 * order (what the "Queue it" button does).
 */
public class QueueCommand implements CommandHandler {

	private final DeployQueue queue;

	public QueueCommand(DeployQueue queue) {
		this.queue = queue;
	}

	@Override
	public String name() {
		return "queue";
	}

	@Override
	public String usage() {
		return "queue <app> <environment> <sha> [<reason>]";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.size() < 3) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`");
		}
		String reason = (args.size() > 3) ? String.join(" ", args.subList(3, args.size())) : null;
		DeployRequest request = new DeployRequest(args.get(0).toLowerCase(), args.get(1).toLowerCase(), args.get(2),
				new Person(command.userId(), command.userName()), reason, Kind.DEPLOY);
		DeployQueue.Queued queued = this.queue.enqueue(request);
		return (queued.position() > 0)
				? new Reply.Ephemeral(queued.message(),
						List.of(new Button(ThreadMessages.CANCEL_QUEUED, "Cancel", queued.deployId(), "danger")))
				: new Reply.Ephemeral(queued.message());
	}

}
