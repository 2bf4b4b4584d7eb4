package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.operations.Reports;

/**
 * {@code /stop stats [app] [days]}: deploy frequency, lead time, change-failure rate and
 * time to restore, each with its band.
 */
public class StatsCommand implements CommandHandler {

	private static final int DEFAULT_DAYS = 30;

	private final Reports reports;

	public StatsCommand(Reports reports) {
		this.reports = reports;
	}

	@Override
	public String name() {
		return "stats";
	}

	@Override
	public String usage() {
		return "stats [<app>] [<days, default " + DEFAULT_DAYS + ">]";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.size() > 2 || (args.size() == 2 && !args.get(1).matches("\\d{1,3}"))) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`");
		}
		String app = null;
		int days = DEFAULT_DAYS;
		for (String arg : args) {
			if (arg.matches("\\d{1,3}")) {
				days = Integer.parseInt(arg);
			}
			else {
				app = arg;
			}
		}
		String of = app;
		int over = days;
		if (this.reports.statsReadTheLog(of, over)) {
			return new Reply.Later(":hourglass: Reading older deploys from the log; the figures follow here.",
					() -> this.reports.stats(of, over));
		}
		return new Reply.Ephemeral(this.reports.stats(app, days));
	}

}
