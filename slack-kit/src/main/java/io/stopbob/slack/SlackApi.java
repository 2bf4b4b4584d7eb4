package io.stopbob.slack;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the Slack Web API with the retries Slack asks for: a 429 waits its
 * {@code Retry-After}, transient failures back off and try again, a bounded number of
 * times. Every failure is logged with the deploy it was for and counted
 * ({@code stop.slack.failures}), so nothing fails silently.
 */
public class SlackApi {

	private static final Logger log = LoggerFactory.getLogger(SlackApi.class);

	/** Errors that another try cannot fix: fail at once so the caller can say so. */
	private static final Set<String> PERMANENT = Set.of("channel_not_found", "not_in_channel", "is_archived",
			"invalid_auth", "not_authed", "account_inactive", "token_revoked", "missing_scope", "invalid_blocks",
			"msg_too_long", "message_not_found", "cant_update_message", "invalid_arguments", "no_text",
			"invalid_trigger_id", "expired_trigger_id", "user_not_found");

	private final MethodsClient client;

	private final SlackProperties.Retry retry;

	private final MeterRegistry meters;

	public SlackApi(MethodsClient client, SlackProperties.Retry retry, MeterRegistry meters) {
		this.client = client;
		this.retry = retry;
		this.meters = meters;
	}

	/**
	 * Runs one Web API call, retrying as Slack asks.
	 * @param method the API method, for logs and metrics (e.g. {@code chat.postMessage})
	 * @param deployId the deploy the call is for, for logs
	 * @throws SlackCallException when Slack refuses for good or keeps failing
	 */
	public <T extends SlackApiTextResponse> T call(String method, String deployId, Call<T> call) {
		Duration backoff = this.retry.backoff();
		String last = "no attempt";
		for (int attempt = 1; attempt <= this.retry.attempts(); attempt++) {
			Duration wait = backoff;
			try {
				T response = call.on(this.client);
				if (response.isOk()) {
					return response;
				}
				last = response.getError();
				if (PERMANENT.contains(last)) {
					fail(method, deployId, last);
					throw new SlackCallException(method, last, false);
				}
			}
			catch (SlackApiException ex) {
				last = "HTTP " + ex.getResponse().code();
				if (ex.getResponse().code() == 429) {
					wait = retryAfter(ex, backoff);
				}
			}
			catch (IOException ex) {
				last = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			if (attempt < this.retry.attempts()) {
				log.warn("Slack {} for deploy {} failed ({}), attempt {} of {}; retrying in {} ms", method, deployId,
						last, attempt, this.retry.attempts(), wait.toMillis());
				sleep(wait);
				backoff = min(backoff.multipliedBy(2), this.retry.maxWait());
			}
		}
		fail(method, deployId, last);
		throw new SlackCallException(method, last, true);
	}

	private void fail(String method, String deployId, String error) {
		log.error("Slack {} for deploy {} failed: {}", method, deployId, error);
		this.meters.counter("stop.slack.failures", "method", method).increment();
	}

	private Duration retryAfter(SlackApiException ex, Duration fallback) {
		String header = ex.getResponse().header("Retry-After");
		try {
			return (header != null) ? min(Duration.ofSeconds(Long.parseLong(header.trim())), this.retry.maxWait())
					: fallback;
		}
		catch (NumberFormatException notSeconds) {
			return fallback;
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static void sleep(Duration wait) {
		try {
			Thread.sleep(wait.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SlackCallException("sleep", "interrupted", true);
		}
	}

	/** One Web API call. */
	@FunctionalInterface
	public interface Call<T> {

		T on(MethodsClient client) throws IOException, SlackApiException;

	}

}
