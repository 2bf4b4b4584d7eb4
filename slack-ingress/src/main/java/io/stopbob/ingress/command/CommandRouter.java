package io.stopbob.ingress.command;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.stopbob.ingress.operations.PipelineLog;
import io.stopbob.ingress.operations.Refusal;
import io.stopbob.slack.SlackText;
import io.stopbob.ingress.operations.StateGuard;

/**
 * Routes {@code /stop <subcommand> ...} to its handler; refuses text no person types (too
 * long, control characters) before any handler sees it, and answers anything unknown with
 * the usage. Every command reads or changes state: none runs while the instance is
 * catching up with the log.
 */
public class CommandRouter {

	static final int MAX_TEXT = 1_000;

	private final Map<String, CommandHandler> handlers;

	private final StateGuard guard;

	public CommandRouter(List<CommandHandler> handlers, StateGuard guard) {
		this.guard = guard;
		this.handlers = handlers.stream()
			.collect(Collectors.toMap(CommandHandler::name, Function.identity(), (a, b) -> {
				throw new IllegalStateException("two handlers for /stop " + a.name());
			}, java.util.TreeMap::new));
	}

	public Reply route(SlashCommand command) {
		String text = (command.text() != null) ? command.text().strip() : "";
		if (text.length() > MAX_TEXT) {
			return new Reply.Ephemeral(
					"That command is " + text.length() + " characters long; /stop takes at most " + MAX_TEXT + ".");
		}
		if (text.chars().anyMatch(Character::isISOControl)) {
			return new Reply.Ephemeral("That command contains control characters; type it on one line.");
		}
		List<String> words = text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
		CommandHandler handler = words.isEmpty() ? null : this.handlers.get(words.get(0).toLowerCase());
		if (handler == null) {
			return new Reply.Ephemeral((words.isEmpty() || "help".equalsIgnoreCase(words.get(0)) ? ""
					: "I don't know `/stop " + SlackText.escape(words.get(0)) + "`.\n") + usage());
		}
		try {
			this.guard.require();
			Reply reply = handler.handle(command, words.subList(1, words.size()));
			return (reply instanceof Reply.Later later) ? new Reply.Later(later.now(), () -> answer(later)) : reply;
		}
		catch (Refusal refusal) {
			return new Reply.Ephemeral(":no_entry: " + refusal.getMessage());
		}
	}

	private static String answer(Reply.Later later) {
		try {
			return later.answer().get();
		}
		catch (Refusal refusal) {
			return ":no_entry: " + refusal.getMessage();
		}
		catch (PipelineLog.Unreadable ex) {
			return ":x: The log could not be read (" + SlackText.escape(ex.getMessage()) + "). Try again in a minute.";
		}
	}

	public String usage() {
		return "Usage:\n" + this.handlers.values()
			.stream()
			.map((handler) -> "• `/stop " + handler.usage() + "`")
			.collect(Collectors.joining("\n")) + "\n• `/stop help` this message";
	}

}
