package io.stopbob.ingress.command;

import java.util.List;

/** One {@code /stop} subcommand. Adding a command is adding one of these. */
public interface CommandHandler {

	/** The subcommand, e.g. {@code deploy}. */
	String name();

	/** One line for {@code /stop help}. */
	String usage();

	Reply handle(SlashCommand command, List<String> args);

}
