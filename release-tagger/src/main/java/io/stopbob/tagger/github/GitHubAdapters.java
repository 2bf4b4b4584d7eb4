package io.stopbob.tagger.github;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.stopbob.tagger.ci.CiStatus;
import io.stopbob.tagger.tagging.GitHost;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/** Builds the GitHub adapters, which stay package-private; one client for all of them. */
public final class GitHubAdapters {

	private final GitHub github;

	private final GitHubCalls calls;

	/**
	 * @param token a personal access token or a GitHub App installation token
	 * @param apiUrl {@code https://api.github.com}, or GitHub Enterprise's
	 * {@code /api/v3}
	 */
	public GitHubAdapters(String token, String apiUrl, int attempts, Duration backoff, Duration maxWait) {
		try {
			this.github = new GitHubBuilder().withEndpoint(apiUrl)
				.withOAuthToken(token)
				.withRateLimitHandler(GitHubCalls.rateLimits())
				.withAbuseLimitHandler(GitHubCalls.secondaryRateLimits())
				.build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.calls = new GitHubCalls(attempts, backoff, maxWait);
	}

	public GitHost gitHost() {
		return new GitHubGitHost(this.github, this.calls);
	}

	public CiStatus ciStatus() {
		return new GitHubCiStatus(this.github, this.calls);
	}

}
