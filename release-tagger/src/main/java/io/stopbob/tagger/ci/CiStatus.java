package io.stopbob.tagger.ci;

import java.time.Instant;
import java.util.List;

import io.stopbob.platform.catalog.Environment;

/** Port: the CI system's verdict on a tagged commit, asked again until it has one. */
public interface CiStatus {

	/**
	 * e.g. {@code github-checks} or {@code local-command}; goes into {@code BuildPassed}.
	 */
	String provider();

	/**
	 * CI's verdict on the tag's own build, never on another build of the same commit.
	 * @param taggedAt when the tag was pushed: a report from before it is another build's
	 * @param ci the environment's CI settings: required checks (empty means at least one
	 * check of the tag's build reported, and every one reported passed) and, for the
	 * local adapter, the command
	 */
	CiResult status(String repository, String tag, String sha, Instant taggedAt, Environment.Ci ci);

	/** What CI says now. */
	sealed interface CiResult {

		/** Every required check passed. */
		record Green(List<String> checks, String url) implements CiResult {
		}

		/** A required check failed: the first one, with its link. */
		record Red(String check, String url, String detail) implements CiResult {
		}

		/** Still running, or not reported yet. */
		record Pending(String waitingFor) implements CiResult {
		}

	}

}
