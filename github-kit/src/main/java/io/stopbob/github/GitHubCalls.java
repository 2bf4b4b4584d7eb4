package io.stopbob.github;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.stopbob.platform.retry.Retrying;
import io.stopbob.platform.retry.Retrying.Retry;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Calls GitHub with the retries GitHub asks for: 5xx and connection failures back off,
 * rate limits (primary and secondary) wait for {@code Retry-After} or
 * {@code X-RateLimit-Reset}, a bounded number of times and never longer than
 * {@code maxWait}. 401, 403 and 404 fail at once with a reason a person can act on.
 */
public class GitHubCalls {

	private final Retrying retrying;

	private final Duration maxWait;

	public GitHubCalls(int attempts, Duration backoff, Duration maxWait) {
		this.retrying = new Retrying("GitHub", attempts, backoff, maxWait);
		this.maxWait = maxWait;
	}

	/** A call whose 404 means "there is none". */
	public <T> Optional<T> find(String what, Call<T> call) {
		try {
			return Optional.ofNullable(run(what, call, true, false));
		}
		catch (NotFound ex) {
			return Optional.empty();
		}
	}

	public <T> T call(String what, Call<T> call) {
		return run(what, call, false, false);
	}

	/**
	 * A call that makes something (a ref, a release): when the connection fails after the
	 * request may have reached GitHub, it is not repeated here but thrown as an outage,
	 * so the caller looks for what it made before making it again.
	 */
	public <T> T create(String what, Call<T> call) {
		return run(what, call, false, true);
	}

	private <T> T run(String what, Call<T> call, boolean absentIsAnswer, boolean creates) {
		try {
			return this.retrying.call("GitHub " + what, () -> attempt(what, call, absentIsAnswer, creates));
		}
		catch (Retrying.GaveUp ex) {
			throw new GitHubException(what + ": GitHub kept failing (" + ex.reason() + ")", false, ex);
		}
	}

	private <T> T attempt(String what, Call<T> call, boolean absentIsAnswer, boolean creates) throws Retry {
		try {
			return call.run();
		}
		catch (IOException ex) {
			// The client may wrap what the rate-limit handlers throw; the wait is what
			// counts.
			RateLimited limited = rateLimited(ex);
			if (limited != null) {
				if (limited.retryAfter.compareTo(this.maxWait) > 0) {
					throw new GitHubException("GitHub rate limit for " + what + " lasts until "
							+ Instant.now().plus(limited.retryAfter) + "; try later", false, ex);
				}
				throw new Retry("rate limited", limited.retryAfter);
			}
			int code = (ex instanceof GHFileNotFoundException) ? 404
					: (ex instanceof HttpException http) ? http.getResponseCode() : -1;
			if (code == 404 && absentIsAnswer) {
				throw new NotFound();
			}
			if (code == 401) {
				throw new GitHubException(
						what + ": GitHub rejected the token (401); check GITHUB_TOKEN or the app installation", true,
						ex);
			}
			if (code == 403) {
				throw new GitHubException(what + ": GitHub refused (403); the token needs contents: write on the "
						+ "repository (and checks/statuses: read)", true, ex);
			}
			if (code == 404) {
				throw new GitHubException(
						what + ": GitHub answered 404 (no such repository or ref, or the token cannot see it)", true,
						ex);
			}
			if (code > 0 && code < 500) {
				throw new GitHubException(what + ": GitHub answered " + code + ": " + ex.getMessage(), true, ex);
			}
			if (code < 0 && creates && !(ex instanceof ConnectException)) {
				throw new GitHubException(what + ": no answer from GitHub (" + ex.getClass().getSimpleName() + ": "
						+ ex.getMessage() + ")", false, ex);
			}
			throw new Retry((code > 0) ? "HTTP " + code : ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		catch (GitHubException | NotFound ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// The client could not make sense of GitHub's answer: say so rather than
			// leave the deploy hanging.
			throw new GitHubException(what + ": GitHub's answer could not be read (" + ex + ")", true, ex);
		}
	}

	/**
	 * Turns GitHub's rate-limit answers into a retry here, bounded, instead of the
	 * library's open-ended wait.
	 */
	public static GitHubRateLimitHandler rateLimits() {
		return new GitHubRateLimitHandler() {
			@Override
			public void onError(GitHubConnectorResponse response) throws IOException {
				throw new RateLimited(waitOf(response));
			}
		};
	}

	public static GitHubAbuseLimitHandler secondaryRateLimits() {
		return new GitHubAbuseLimitHandler() {
			@Override
			public void onError(GitHubConnectorResponse response) throws IOException {
				throw new RateLimited(waitOf(response));
			}
		};
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

	private static RateLimited rateLimited(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RateLimited limited) {
				return limited;
			}
		}
		return null;
	}

	@FunctionalInterface
	public interface Call<T> {

		T run() throws IOException;

	}

	public static class RateLimited extends IOException {

		private final transient Duration retryAfter;

		RateLimited(Duration retryAfter) {
			super("rate limited for " + retryAfter);
			this.retryAfter = retryAfter;
		}

	}

	private static final class NotFound extends RuntimeException {

		NotFound() {
			super(null, null, false, false);
		}

	}

}
