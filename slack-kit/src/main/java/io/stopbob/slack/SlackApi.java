package io.stopbob.slack;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopbob.platform.retry.Retrying;
import io.stopbob.platform.retry.Retrying.Retry;
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

	/**
	 * Calls that make something new: repeated after a lost answer, they make it twice.
	 */
	private static final Set<String> POSTS = Set.of("chat.postMessage");

	private final MethodsClient client;

	private final Retrying retrying;

	private final MeterRegistry meters;

	public SlackApi(MethodsClient client, SlackProperties.Retry retry, MeterRegistry meters) {
		this.client = client;
		this.retrying = new Retrying("Slack", retry.attempts(), retry.backoff(), retry.maxWait());
		this.meters = meters;
	}

	/**
	 * Runs one Web API call, retrying as Slack asks.
	 * @param method the API method, for logs and metrics (e.g. {@code chat.postMessage})
	 * @param deployId the deploy the call is for, for logs
	 * @throws SlackCallException when Slack refuses for good or keeps failing
	 */
	public <T extends SlackApiTextResponse> T call(String method, String deployId, Call<T> call) {
		try {
			return this.retrying.call("Slack " + method + " for deploy " + deployId, () -> attempt(method, call));
		}
		catch (SlackCallException ex) {
			fail(method, deployId, ex.error());
			throw ex;
		}
		catch (Retrying.GaveUp ex) {
			fail(method, deployId, ex.reason());
			throw new SlackCallException(method, ex.reason(), true);
		}
	}

	private <T extends SlackApiTextResponse> T attempt(String method, Call<T> call) throws Retry {
		try {
			T response = call.on(this.client);
			if (response.isOk()) {
				return response;
			}
			if (PERMANENT.contains(response.getError())) {
				throw new SlackCallException(method, response.getError(), false);
			}
			throw new Retry(response.getError());
		}
		catch (SlackApiException ex) {
			int code = ex.getResponse().code();
			throw new Retry("HTTP " + code, (code == 429) ? retryAfter(ex) : null);
		}
		catch (IOException ex) {
			String reason = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			if (POSTS.contains(method) && !(ex instanceof ConnectException)) {
				// The message may have reached Slack: not posted again blindly here, but
				// by
				// a caller that looks for it first.
				throw new SlackCallException(method, reason, true);
			}
			throw new Retry(reason);
		}
	}

	private void fail(String method, String deployId, String error) {
		log.error("Slack {} for deploy {} failed: {}", method, deployId, error);
		this.meters.counter("stop.slack.failures", "method", method).increment();
	}

	private static Duration retryAfter(SlackApiException ex) {
		String header = ex.getResponse().header("Retry-After");
		return (header != null && header.trim().matches("\\d+")) ? Duration.ofSeconds(Long.parseLong(header.trim()))
				: null;
	}

	/** One Web API call. */
	@FunctionalInterface
	public interface Call<T> {

		T on(MethodsClient client) throws IOException, SlackApiException;

	}

}
