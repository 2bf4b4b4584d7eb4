package io.stopbob.tagger.github;

import java.util.Optional;

import io.stopbob.github.GitHubCalls;
import io.stopbob.github.GitHubException;
import io.stopbob.tagger.tagging.GitHostException;

/** GitHub calls whose failures speak the tagger's language ({@link GitHostException}). */
final class TaggerCalls {

	private final GitHubCalls calls;

	TaggerCalls(GitHubCalls calls) {
		this.calls = calls;
	}

	<T> Optional<T> find(String what, GitHubCalls.Call<T> call) {
		try {
			return this.calls.find(what, call);
		}
		catch (GitHubException ex) {
			throw new GitHostException(ex.getMessage(), ex.permanent(), ex);
		}
	}

	<T> T call(String what, GitHubCalls.Call<T> call) {
		try {
			return this.calls.call(what, call);
		}
		catch (GitHubException ex) {
			throw new GitHostException(ex.getMessage(), ex.permanent(), ex);
		}
	}

}
