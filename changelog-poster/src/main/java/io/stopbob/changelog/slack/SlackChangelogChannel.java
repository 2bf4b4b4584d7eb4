package io.stopbob.changelog.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.slack.api.model.Message;
import com.slack.api.model.block.LayoutBlock;
import io.stopbob.changelog.changes.ChangelogChannel;
import io.stopbob.changelog.changes.Changelog;
import io.stopbob.slack.SlackApi;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;

/**
 * The changelog as a Block Kit message: the header, one section per entry, a divider and
 * the footer. The message carries its key as metadata, so it can be found again instead
 * of posted twice.
 */
public class SlackChangelogChannel implements ChangelogChannel {

	static final String EVENT_TYPE = "stop_changelog";

	private final SlackApi slack;

	public SlackChangelogChannel(SlackApi slack) {
		this.slack = slack;
	}

	@Override
	public String post(String deployId, String channel, String key, Changelog changelog) {
		List<LayoutBlock> blocks = new ArrayList<>();
		blocks.add(section((section) -> section.text(markdownText(changelog.header()))));
		changelog.sections().forEach((text) -> blocks.add(section((section) -> section.text(markdownText(text)))));
		blocks.add(divider());
		blocks.add(context((context) -> context.elements(List.of(markdownText(changelog.footer())))));
		return this.slack.call("chat.postMessage", deployId,
				(client) -> client.chatPostMessage((r) -> r.channel(channel)
					.text(changelog.text())
					.blocks(blocks)
					.unfurlLinks(false)
					.metadata(Message.Metadata.builder()
						.eventType(EVENT_TYPE)
						.eventPayload(Map.of("deployId", deployId, "key", key))
						.build())))
			.getTs();
	}

	@Override
	public Optional<String> find(String channel, String key) {
		List<Message> messages = this.slack
			.call("conversations.history", key,
					(client) -> client
						.conversationsHistory((r) -> r.channel(channel).includeAllMetadata(true).limit(200)))
			.getMessages();
		return (messages == null) ? Optional.empty()
				: messages.stream()
					.filter((message) -> message.getMetadata() != null
							&& EVENT_TYPE.equals(message.getMetadata().getEventType())
							&& key.equals(message.getMetadata().getEventPayload().get("key")))
					.map(Message::getTs)
					.findFirst();
	}

}
