package io.stopbob.github;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/** The one way a service connects to GitHub. */
public final class GitHubClients {

	private GitHubClients() {
	}

	/**
	 * @param token a personal access token or a GitHub App installation token
	 * @param apiUrl {@code https://api.github.com}, or GitHub Enterprise's
	 * {@code /api/v3}
	 */
	public static GitHub connect(String token, String apiUrl) {
		try {
			return new GitHubBuilder().withEndpoint(apiUrl)
				.withOAuthToken(token)
				// Rate limits become bounded retries in GitHubCalls, not the client's
				// open-ended wait.
				.withRateLimitHandler(GitHubCalls.rateLimits())
				.withAbuseLimitHandler(GitHubCalls.secondaryRateLimits())
				.build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
