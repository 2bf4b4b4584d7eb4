package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.operations.Reports;

/**
 * {@code /stop status [app]}: per target, what runs, what is in flight, locks and queues.
 */
public class StatusCommand implements CommandHandler {

	private final Reports reports;

	public StatusCommand(Reports reports) {
		this.reports = reports;
	}

	@Override
	public String name() {
		return "status";
	}

	@Override
	public String usage() {
		return "status [<app>]";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.size() > 1) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`");
		}
		return new Reply.Ephemeral(this.reports.status(args.isEmpty() ? null : args.get(0)));
	}

}
