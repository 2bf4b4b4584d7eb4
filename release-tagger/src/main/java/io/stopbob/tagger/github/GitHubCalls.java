package io.stopbob.tagger.github;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.stopbob.tagger.tagging.GitHostException;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls GitHub with the retries GitHub asks for: 5xx and connection failures back off,
 * rate limits (primary and secondary) wait for {@code Retry-After} or
 * {@code X-RateLimit-Reset}, a bounded number of times and never longer than
 * {@code maxWait}. 401, 403 and 404 fail at once with a reason a person can act on.
 */
class GitHubCalls {

	private static final Logger log = LoggerFactory.getLogger(GitHubCalls.class);

	private final int attempts;

	private final Duration backoff;

	private final Duration maxWait;

	GitHubCalls(int attempts, Duration backoff, Duration maxWait) {
		this.attempts = attempts;
		this.backoff = backoff;
		this.maxWait = maxWait;
	}

	/** A call whose 404 means "there is none". */
	<T> Optional<T> find(String what, Call<T> call) {
		try {
			return Optional.ofNullable(run(what, call, true));
		}
		catch (NotFound ex) {
			return Optional.empty();
		}
	}

	<T> T call(String what, Call<T> call) {
		return run(what, call, false);
	}

	private <T> T run(String what, Call<T> call, boolean absentIsAnswer) {
		Duration wait = this.backoff;
		String last = "";
		for (int attempt = 1; attempt <= this.attempts; attempt++) {
			Duration pause = wait;
			try {
				try {
					return call.run();
				}
				catch (IOException ex) {
					// The client may wrap what the rate-limit handlers throw; the wait is
					// what counts.
					RateLimited limited = rateLimited(ex);
					if (limited == null) {
						throw ex;
					}
					last = "rate limited";
					pause = limited.retryAfter;
					if (pause.compareTo(this.maxWait) > 0) {
						throw new GitHostException("GitHub rate limit for " + what + " lasts until "
								+ Instant.now().plus(pause) + "; try later", false, ex);
					}
				}
			}
			catch (GHFileNotFoundException ex) {
				if (absentIsAnswer) {
					throw new NotFound();
				}
				throw new GitHostException(what + ": GitHub answered 404 (the repository or ref does not exist, "
						+ "or the token cannot see it)", true, ex);
			}
			catch (HttpException ex) {
				int code = ex.getResponseCode();
				if (code == 401) {
					throw new GitHostException(
							what + ": GitHub rejected the token (401); check GITHUB_TOKEN or the app installation",
							true, ex);
				}
				if (code == 403) {
					throw new GitHostException(what + ": GitHub refused (403); the token needs contents: write on the "
							+ "repository (and checks/statuses: read)", true, ex);
				}
				if (code == 404) {
					if (absentIsAnswer) {
						throw new NotFound();
					}
					throw new GitHostException(what + ": GitHub answered 404 (no such repository, or no access)", true,
							ex);
				}
				if (code > 0 && code < 500) {
					throw new GitHostException(what + ": GitHub answered " + code + ": " + ex.getMessage(), true, ex);
				}
				last = "HTTP " + code;
			}
			catch (IOException ex) {
				last = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			catch (GitHostException | NotFound ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				// The client could not make sense of GitHub's answer: say so rather than
				// leave the deploy hanging.
				throw new GitHostException(what + ": GitHub's answer could not be read (" + ex + ")", true, ex);
			}
			if (attempt < this.attempts) {
				log.warn("GitHub {} failed ({}), attempt {} of {}; retrying in {} ms", what, last, attempt,
						this.attempts, pause.toMillis());
				sleep(pause);
				wait = min(wait.multipliedBy(2), this.maxWait);
			}
		}
		throw new GitHostException(what + ": GitHub kept failing (" + last + ") after " + this.attempts + " attempts",
				false, null);
	}

	/**
	 * Turns GitHub's rate-limit answers into a retry here, bounded, instead of the
	 * library's open-ended wait.
	 */
	static GitHubRateLimitHandler rateLimits() {
		return new GitHubRateLimitHandler() {
			@Override
			public void onError(GitHubConnectorResponse response) throws IOException {
				throw new RateLimited(waitOf(response));
			}
		};
	}

	static GitHubAbuseLimitHandler secondaryRateLimits() {
		return new GitHubAbuseLimitHandler() {
			@Override
			public void onError(GitHubConnectorResponse response) throws IOException {
				throw new RateLimited(waitOf(response));
			}
		};
	}

	private static RateLimited rateLimited(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RateLimited limited) {
				return limited;
			}
		}
		return null;
	}

	static Duration waitOf(GitHubConnectorResponse response) {
		String retryAfter = response.header("Retry-After");
		if (retryAfter != null && retryAfter.trim().matches("\\d+")) {
			return Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
		}
		String reset = response.header("X-RateLimit-Reset");
		if (reset != null && reset.trim().matches("\\d+")) {
			Duration untilReset = Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(reset.trim())));
			return untilReset.isNegative() ? Duration.ofSeconds(1) : untilReset.plusSeconds(1);
		}
		return Duration.ofMinutes(1);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static void sleep(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GitHostException("interrupted while waiting for GitHub", false, ex);
		}
	}

	@FunctionalInterface
	interface Call<T> {

		T run() throws IOException;

	}

	static class RateLimited extends IOException {

		private final transient Duration retryAfter;

		RateLimited(Duration retryAfter) {
			super("rate limited for " + retryAfter);
			this.retryAfter = retryAfter;
		}

	}

	private static class NotFound extends RuntimeException {

		NotFound() {
			super(null, null, false, false);
		}

	}

}
