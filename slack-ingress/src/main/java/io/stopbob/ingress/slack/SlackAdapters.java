package io.stopbob.ingress.slack;

import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.slack.SlackApi;

/** Builds the real Slack adapter, which stays package-private. */
public final class SlackAdapters {

	private SlackAdapters() {
	}

	public static SlackWorkspace workspace(SlackApi slack) {
		return new SlackApiWorkspace(slack);
	}

}
