package io.stopbob.changelog.changes;

import java.util.Optional;

/**
 * Port: the Slack channel the changelog goes to. A message carries its key (Slack message
 * metadata), so a poster unsure whether it already posted can look first.
 */
public interface ChangelogChannel {

	String post(String deployId, String channel, String key, Changelog changelog);

	Optional<String> find(String channel, String key);

}
