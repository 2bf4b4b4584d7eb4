package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.operations.Locks;
import io.stopbob.ledger.PipelineEvent.Person;

/** {@code /stop unlock <app> <env>}: lifts a lock, whoever set it. */
public class UnlockCommand implements CommandHandler {

	private final Locks locks;

	public UnlockCommand(Locks locks) {
		this.locks = locks;
	}

	@Override
	public String name() {
		return "unlock";
	}

	@Override
	public String usage() {
		return "unlock <app> <environment>";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.size() != 2) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`");
		}
		return new Reply.Ephemeral(
				this.locks.unlock(args.get(0), args.get(1), new Person(command.userId(), command.userName())));
	}

}
