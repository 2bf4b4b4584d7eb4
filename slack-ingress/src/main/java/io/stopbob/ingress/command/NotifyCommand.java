package io.stopbob.ingress.command;

import java.util.List;

import io.stopbob.ingress.operations.Recorder;

/**
 * {@code /stop notify on|off}: whether you get a direct message when your deploy ends (on
 * until you say off).
 */
public class NotifyCommand implements CommandHandler {

	private final Recorder recorder;

	public NotifyCommand(Recorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public String name() {
		return "notify";
	}

	@Override
	public String usage() {
		return "notify on|off";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.size() != 1 || !List.of("on", "off").contains(args.get(0).toLowerCase())) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`: a direct message when your deploy ends.");
		}
		boolean on = "on".equalsIgnoreCase(args.get(0));
		this.recorder.record(command.userId(), on);
		return new Reply.Ephemeral(on ? "You will get a direct message when a deploy you asked for ends."
				: "No more direct messages about your deploys; `/stop notify on` turns them back on.");
	}

}
