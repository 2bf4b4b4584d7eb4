package io.stopbob.tagger.tagging;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: the git host, as releasing needs it. Creating is idempotent: an existing tag or
 * release of the same name is reused, never made twice.
 */
public interface GitHost {

	/** The commit with its full SHA, if the repository has it. */
	Optional<Commit> resolveCommit(String repository, String sha);

	/** The commits after {@code fromRef} up to {@code toSha}, oldest first. */
	List<CommitSummary> commitsBetween(String repository, String fromRef, String toSha);

	/**
	 * Creates (or finds) the annotated tag and its release; returns the release's URL.
	 */
	String release(String repository, ReleaseRequest request);

	/** A commit and when it was committed (for the lead time of changes). */
	record Commit(String sha, Instant committedAt) {
	}

	/** One commit, as a release body lists it. */
	record CommitSummary(String sha, String title, String author) {
	}

	/**
	 * @param tagMessage the annotated tag's message, naming the deploy
	 * @param body the release notes
	 */
	record ReleaseRequest(String tag, String sha, String tagMessage, String name, String body) {
	}

}
