package io.stopbob.tagger.github;

import java.util.Optional;
import java.util.function.Supplier;

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
		return translated(() -> this.calls.find(what, call));
	}

	<T> T call(String what, GitHubCalls.Call<T> call) {
		return translated(() -> this.calls.call(what, call));
	}

	/** See {@link GitHubCalls#create}. */
	<T> T create(String what, GitHubCalls.Call<T> call) {
		return translated(() -> this.calls.create(what, call));
	}

	private static <T> T translated(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (GitHubException ex) {
			throw new GitHostException(ex.getMessage(), ex.permanent(), ex);
		}
	}

}
