package io.stopbob.ingress.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

	private static final Duration GROUP_CACHE = Duration.ofMinutes(5);

	private final SlackApi slack;

	private final Clock clock;

	private final Map<String, CachedGroup> groups = new ConcurrentHashMap<>();

	SlackApiWorkspace(SlackApi slack, Clock clock) {
		this.slack = slack;
		this.clock = clock;
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

	@Override
	public boolean inGroup(String userId, String groupId) {
		Instant now = this.clock.instant();
		CachedGroup cached = this.groups.get(groupId);
		if (cached == null || cached.fetched().plus(GROUP_CACHE).isBefore(now)) {
			List<String> users = this.slack
				.call("usergroups.users.list", "-", (client) -> client.usergroupsUsersList((r) -> r.usergroup(groupId)))
				.getUsers();
			cached = new CachedGroup(Set.copyOf(users), now);
			this.groups.put(groupId, cached);
		}
		return cached.users().contains(userId);
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

	private record CachedGroup(Set<String> users, Instant fetched) {
	}

}
