package io.stopbob.ingress.slack;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.slack.api.model.Message;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.slack.SlackApi;

/**
 * The real Slack, through the Web API. Each message carries metadata ({@code stop_deploy:
 * {deployId, key}}) so the service can find its own earlier messages
 * ({@code conversations.replies} / {@code .history} with all metadata) instead of posting
 * twice.
 */
class SlackApiWorkspace implements SlackWorkspace {

	static final String EVENT_TYPE = "stop_deploy";

	private final SlackApi slack;

	SlackApiWorkspace(SlackApi slack) {
		this.slack = slack;
	}

	@Override
	public ThreadRef startThread(String deployId, String channel, String text) {
		var response = this.slack.call("chat.postMessage", deployId, (client) -> client
			.chatPostMessage((r) -> r.channel(channel).text(text).metadata(metadata(deployId, deployId + ":start"))));
		return new ThreadRef(response.getChannel(), response.getTs());
	}

	@Override
	public void updateThreadStart(ThreadRef thread, String deployId, String text) {
		update(thread, thread.ts(), deployId, text);
	}

	@Override
	public String reply(ThreadRef thread, String deployId, String key, String text, List<Button> buttons) {
		return this.slack.call("chat.postMessage", deployId,
				(client) -> client.chatPostMessage((r) -> r.channel(thread.channel())
					.threadTs(thread.ts())
					.text(text)
					.blocks(buttons.isEmpty() ? null : SlackBlocks.of(text, buttons))
					.unfurlLinks(false)
					.metadata(metadata(deployId, key))))
			.getTs();
	}

	@Override
	public void resolve(ThreadRef thread, String ts, String deployId, String text) {
		this.slack.call("chat.update", deployId, (client) -> client
			.chatUpdate((r) -> r.channel(thread.channel()).ts(ts).text(text).blocks(SlackBlocks.of(text, List.of()))));
	}

	@Override
	public String say(String channel, String key, String text) {
		return this.slack
			.call("chat.postMessage", key,
					(client) -> client.chatPostMessage(
							(r) -> r.channel(channel).text(text).unfurlLinks(false).metadata(metadata(key, key))))
			.getTs();
	}

	@Override
	public String directMessage(String userId, String deployId, String key, String text) {
		// Posting to a user id lands in the app's direct messages with them.
		return this.slack
			.call("chat.postMessage", deployId,
					(client) -> client.chatPostMessage(
							(r) -> r.channel(userId).text(text).unfurlLinks(false).metadata(metadata(deployId, key))))
			.getTs();
	}

	@Override
	public void update(ThreadRef thread, String ts, String deployId, String text) {
		this.slack.call("chat.update", deployId,
				(client) -> client.chatUpdate((r) -> r.channel(thread.channel()).ts(ts).text(text)));
	}

	@Override
	public String announce(ThreadRef thread, String deployId, String key, String text) {
		return this.slack
			.call("chat.postMessage", deployId, (client) -> client.chatPostMessage(
					(r) -> r.channel(thread.channel()).text(text).unfurlLinks(false).metadata(metadata(deployId, key))))
			.getTs();
	}

	@Override
	public Optional<String> find(ThreadRef thread, String key) {
		List<Message> replies = this.slack
			.call("conversations.replies", key,
					(client) -> client.conversationsReplies(
							(r) -> r.channel(thread.channel()).ts(thread.ts()).includeAllMetadata(true).limit(200)))
			.getMessages();
		Optional<String> found = withKey(replies, key);
		if (found.isPresent()) {
			return found;
		}
		List<Message> channel = this.slack
			.call("conversations.history", key,
					(client) -> client.conversationsHistory(
							(r) -> r.channel(thread.channel()).oldest(thread.ts()).includeAllMetadata(true).limit(200)))
			.getMessages();
		return withKey(channel, key);
	}

	@Override
	public Optional<String> findDirect(String userId, String key) {
		String channel = this.slack
			.call("conversations.open", key, (client) -> client.conversationsOpen((r) -> r.users(List.of(userId))))
			.getChannel()
			.getId();
		List<Message> messages = this.slack
			.call("conversations.history", key,
					(client) -> client
						.conversationsHistory((r) -> r.channel(channel).includeAllMetadata(true).limit(200)))
			.getMessages();
		return withKey(messages, key);
	}

	@Override
	public void openDeployModal(String triggerId, DeployModal modal) {
		this.slack.call("views.open", "-",
				(client) -> client.viewsOpen((r) -> r.triggerId(triggerId).view(DeployModalView.of(modal))));
	}

	@Override
	public void openRollbackModal(String triggerId, RollbackModal modal) {
		this.slack.call("views.open", "-",
				(client) -> client.viewsOpen((r) -> r.triggerId(triggerId).view(RollbackModalView.of(modal))));
	}

	private static Message.Metadata metadata(String deployId, String key) {
		return Message.Metadata.builder()
			.eventType(EVENT_TYPE)
			.eventPayload(Map.of("deployId", deployId, "key", key))
			.build();
	}

	private static Optional<String> withKey(List<Message> messages, String key) {
		return (messages == null) ? Optional.empty()
				: messages.stream()
					.filter((message) -> message.getMetadata() != null
							&& EVENT_TYPE.equals(message.getMetadata().getEventType())
							&& message.getMetadata().getEventPayload() != null
							&& key.equals(message.getMetadata().getEventPayload().get("key")))
					.map(Message::getTs)
					.findFirst();
	}

}
