package io.stopbob.ingress.command;

import io.stopbob.ingress.thread.SlackWorkspace.DeployModal;

/** What the person who typed the command sees. */
public sealed interface Reply {

	/** A message only they see. */
	record Ephemeral(String text) implements Reply {
	}

	/**
	 * Open the deploy modal (after the acknowledgement; Slack wants that within three
	 * seconds).
	 */
	record OpenModal(DeployModal modal) implements Reply {
	}

}
