package io.stopbob.ingress.command;

import java.util.List;
import java.util.function.Supplier;

import io.stopbob.ingress.thread.SlackWorkspace.Button;
import io.stopbob.ingress.thread.SlackWorkspace.DeployModal;
import io.stopbob.ingress.thread.SlackWorkspace.RollbackModal;

/** What the person who typed the command sees. */
public sealed interface Reply {

	/**
	 * A message only they see, with buttons under it when there is something to do next.
	 */
	record Ephemeral(String text, List<Button> buttons) implements Reply {

		public Ephemeral(String text) {
			this(text, List.of());
		}

	}

	/**
	 * Open the deploy modal (after the acknowledgement; Slack wants that within three
	 * seconds).
	 */
	record OpenModal(DeployModal modal) implements Reply {
	}

	/** Open the rollback confirmation. */
	record OpenRollbackModal(RollbackModal modal) implements Reply {
	}

	/**
	 * An answer that takes longer than Slack waits for an acknowledgement (reading older
	 * history from the log): {@code now} at once, then what {@code answer} says, to them
	 * only.
	 */
	record Later(String now, Supplier<String> answer) implements Reply {
	}

}
