package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.operations.Reports;

/** {@code /stop history <app> <env> [n]}: the last n deploys with their outcome. */
public class HistoryCommand implements CommandHandler {

	private static final int DEFAULT_COUNT = 10;

	private final Reports reports;

	public HistoryCommand(Reports reports) {
		this.reports = reports;
	}

	@Override
	public String name() {
		return "history";
	}

	@Override
	public String usage() {
		return "history <app> <environment> [<how many, default " + DEFAULT_COUNT + ">]";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.size() < 2 || args.size() > 3 || (args.size() == 3 && !args.get(2).matches("\\d{1,3}"))) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`");
		}
		int count = (args.size() == 3) ? Integer.parseInt(args.get(2)) : DEFAULT_COUNT;
		if (this.reports.historyReadsTheLog(args.get(0), args.get(1), count)) {
			return new Reply.Later(":hourglass: Reading older deploys from the log; the history follows here.",
					() -> this.reports.history(args.get(0), args.get(1), count));
		}
		return new Reply.Ephemeral(this.reports.history(args.get(0), args.get(1), count));
	}

}
