package io.stopbob.slack;

import java.time.Instant;
import java.util.Map;

import com.slack.api.app_backend.SlackSignature;

/**
 * Signs a request body as Slack does ({@code v0:timestamp:body}, HMAC SHA-256 with the
 * signing secret): for the local command line, tests and benchmarks that speak to the
 * service as Slack.
 */
public final class SlackRequestSigner {

	private final SlackSignature.Generator generator;

	public SlackRequestSigner(String signingSecret) {
		this.generator = new SlackSignature.Generator(signingSecret);
	}

	/** The two headers Slack sends, for this body at this moment. */
	public Map<String, String> headers(String body, Instant at) {
		String timestamp = Long.toString(at.getEpochSecond());
		return Map.of(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, timestamp,
				SlackSignature.HeaderNames.X_SLACK_SIGNATURE, this.generator.generate(timestamp, body));
	}

}
