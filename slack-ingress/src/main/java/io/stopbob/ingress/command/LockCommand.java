package io.stopbob.ingress.command;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.stopbob.ingress.operations.Locks;
import io.stopbob.ledger.PipelineEvent.Person;

/**
 * {@code /stop lock <app> <env> [--for 2h] <reason>}: the target refuses deploys (not
 * rollbacks) until unlocked or the time is up.
 */
public class LockCommand implements CommandHandler {

	private static final Pattern LASTING = Pattern.compile("(\\d{1,4})([mhd])");

	private final Locks locks;

	public LockCommand(Locks locks) {
		this.locks = locks;
	}

	@Override
	public String name() {
		return "lock";
	}

	@Override
	public String usage() {
		return "lock <app> <environment> [--for 30m|2h|1d] <reason>";
	}

	@Override
	public Reply handle(SlashCommand command, List<String> args) {
		if (args.size() < 3) {
			return new Reply.Ephemeral("Usage: `/stop " + usage() + "`");
		}
		List<String> rest = args.subList(2, args.size());
		Duration lasting = null;
		if ("--for".equals(rest.get(0))) {
			Matcher matcher = (rest.size() > 1) ? LASTING.matcher(rest.get(1)) : null;
			if (matcher == null || !matcher.matches() || rest.size() < 3) {
				return new Reply.Ephemeral(
						"`--for` takes a time such as 30m, 2h or 1d, then the reason. Usage: `/stop " + usage() + "`");
			}
			long amount = Long.parseLong(matcher.group(1));
			lasting = switch (matcher.group(2)) {
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
			rest = rest.subList(2, rest.size());
		}
		return new Reply.Ephemeral(this.locks.lock(args.get(0), args.get(1),
				new Person(command.userId(), command.userName()), String.join(" ", rest), lasting));
	}

}
