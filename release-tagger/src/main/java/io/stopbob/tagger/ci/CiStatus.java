package io.stopbob.tagger.ci;

import java.util.List;

import io.stopbob.platform.catalog.Environment;

/** Port: the CI system's verdict on a tagged commit, asked again until it has one. */
public interface CiStatus {

	/**
	 * e.g. {@code github-checks} or {@code local-command}; goes into {@code BuildPassed}.
	 */
	String provider();

	/**
	 * @param ci the environment's CI settings: required checks (empty means every check
	 * reported) and, for the local adapter, the command
	 */
	CiResult status(String repository, String tag, String sha, Environment.Ci ci);

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
