package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.operations.DeployQueue;
import io.stopbob.ledger.PipelineEvent.Person;

/** {@code /stop cancel <id>}: takes a deploy you queued off its queue. */
public class CancelCommand implements CommandHandler {

	private final DeployQueue queue;

	public CancelCommand(DeployQueue queue) {
		this.queue = queue;
	}

	@Override
	public String name() {
		return "cancel";
	}

	@Override
	public String usage() {
		return "cancel <queued deploy id>";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.size() != 1) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`; `/stop status <app>` shows the queues.");
		}
		return new Reply.Ephemeral(this.queue.cancel(args.get(0), new Person(command.userId(), command.userName())));
	}

}
