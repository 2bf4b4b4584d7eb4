package io.stopbob.changelog.local;

import java.util.Optional;

import io.stopbob.changelog.changes.ChangelogChannel;
import io.stopbob.changelog.changes.Changelog;
import io.stopbob.slack.ConsoleSlack;

/** The changelog channel with no Slack account: the message as console lines. */
public class ConsoleChangelogChannel implements ChangelogChannel {

	private final ConsoleSlack console;

	public ConsoleChangelogChannel(ConsoleSlack console) {
		this.console = console;
	}

	@Override
	public String post(String deployId, String channel, String key, Changelog changelog) {
		String text = changelog.header() + "\n" + String.join("\n", changelog.sections()) + "\n" + changelog.footer();
		return this.console.post(deployId, channel, null, text, key);
	}

	@Override
	public Optional<String> find(String channel, String key) {
		return this.console.find(key).map(ConsoleSlack.Message::ts);
	}

}
