package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.operations.Rollbacks;

/**
 * {@code /stop rollback <app> [env]}: a confirmation showing what runs now and the
 * release it goes back to; confirming starts the rollback.
 */
public class RollbackCommand implements CommandHandler {

	private final Rollbacks rollbacks;

	public RollbackCommand(Rollbacks rollbacks) {
		this.rollbacks = rollbacks;
	}

	@Override
	public String name() {
		return "rollback";
	}

	@Override
	public String usage() {
		return "rollback <app> [<environment>]";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.isEmpty() || args.size() > 2) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "` (production by default).");
		}
		return new Reply.OpenRollbackModal(this.rollbacks.plan(args.get(0), (args.size() > 1) ? args.get(1) : null));
	}

}
