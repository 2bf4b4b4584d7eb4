package io.stopbob.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.stopbob.platform.catalog.GroupMembership;

/**
 * Who is in a Slack user group ({@code usergroups.users.list}, scope
 * {@code usergroups:read}), kept five minutes per group. Only the groups the catalog
 * names are asked for, so the cache is as large as the catalog.
 */
public class SlackGroups implements GroupMembership {

	private static final Duration KEPT = Duration.ofMinutes(5);

	private final SlackApi slack;

	private final Clock clock;

	private final Map<String, Members> groups = new ConcurrentHashMap<>();

	public SlackGroups(SlackApi slack, Clock clock) {
		this.slack = slack;
		this.clock = clock;
	}

	@Override
	public boolean contains(String groupId, String userId) {
		Instant now = this.clock.instant();
		Members members = this.groups.get(groupId);
		if (members == null || members.fetched().plus(KEPT).isBefore(now)) {
			List<String> users = this.slack
				.call("usergroups.users.list", "-", (client) -> client.usergroupsUsersList((r) -> r.usergroup(groupId)))
				.getUsers();
			members = new Members(Set.copyOf(users), now);
			this.groups.put(groupId, members);
		}
		return members.users().contains(userId);
	}

	private record Members(Set<String> users, Instant fetched) {
	}

}
