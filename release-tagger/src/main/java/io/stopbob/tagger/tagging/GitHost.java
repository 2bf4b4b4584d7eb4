package io.stopbob.tagger.tagging;

import java.util.List;
import java.util.Optional;

/**
 * Port: the git host, as releasing needs it. Creating is idempotent: an existing tag or
 * release of the same name is reused, never made twice.
 */
public interface GitHost {

	/** The full SHA of the commit, if the repository has it. */
	Optional<String> resolveCommit(String repository, String sha);

	/** The commits after {@code fromRef} up to {@code toSha}, oldest first. */
	List<CommitSummary> commitsBetween(String repository, String fromRef, String toSha);

	/**
	 * Creates (or finds) the annotated tag and its release; returns the release's URL.
	 */
	String release(String repository, ReleaseRequest request);

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
