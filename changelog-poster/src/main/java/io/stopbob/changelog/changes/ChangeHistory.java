package io.stopbob.changelog.changes;

import java.util.List;

/** Port: what changed between two points of a repository, as the git host knows it. */
public interface ChangeHistory {

	/**
	 * The commits after {@code fromRef} up to {@code toSha}, oldest first, each with its
	 * pull request when it has one.
	 */
	List<Change> between(String repository, String fromRef, String toSha);

	/**
	 * The last {@code count} commits up to {@code sha}, oldest first (a target's first
	 * release).
	 */
	List<Change> last(String repository, String sha, int count);

	/** A link that shows the whole difference, or null where the host has none. */
	String compareUrl(String repository, String fromRef, String toRef);

}
