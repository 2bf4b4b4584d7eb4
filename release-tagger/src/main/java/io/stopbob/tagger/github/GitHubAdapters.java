package io.stopbob.tagger.github;

import java.time.Duration;

import io.stopbob.github.GitHubAccess;
import io.stopbob.github.GitHubCalls;
import io.stopbob.github.GitHubClients;
import io.stopbob.tagger.ci.CiStatus;
import io.stopbob.tagger.tagging.GitHost;

/** Builds the GitHub adapters, which stay package-private; one client for all of them. */
public final class GitHubAdapters {

	private final GitHubClients.Connection github;

	private final TaggerCalls calls;

	public GitHubAdapters(GitHubAccess access, String apiUrl, int attempts, Duration backoff, Duration maxWait) {
		this.github = GitHubClients.connect(access, apiUrl);
		this.calls = new TaggerCalls(new GitHubCalls(attempts, backoff, maxWait));
	}

	public GitHost gitHost() {
		return new GitHubGitHost(this.github.api(), this.calls);
	}

	public CiStatus ciStatus() {
		return new GitHubCiStatus(this.github, this.calls);
	}

}
