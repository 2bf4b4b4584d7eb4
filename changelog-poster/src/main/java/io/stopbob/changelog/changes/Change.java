package io.stopbob.changelog.changes;

/**
 * One commit that goes out (or, in a rollback, comes back out) with a release.
 *
 * @param pullRequest the pull request it belongs to, or null for a commit pushed directly
 */
public record Change(String sha, String title, String author, PullRequest pullRequest) {

	/** A pull request as the changelog lists it. */
	public record PullRequest(int number, String title, String author, String url) {
	}

}
