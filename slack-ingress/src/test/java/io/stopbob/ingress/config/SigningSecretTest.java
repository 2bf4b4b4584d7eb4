package io.stopbob.ingress.config;

import java.time.Duration;

import io.stopbob.slack.SlackProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** No default signing secret: what slack-ingress does without one. */
class SigningSecretTest {

	private static final SlackProperties.Retry RETRY = new SlackProperties.Retry(5, Duration.ofMillis(500),
			Duration.ofSeconds(30));

	@Test
	void aBotTokenWithoutASigningSecretOrSocketModeRefusesToStartNamingTheVariable() {
		SlackProperties http = new SlackProperties("xoxb-real", null, null, "https://slack.com/api/", RETRY);

		assertThatIllegalStateException().isThrownBy(() -> new SlackConfiguration().slackSignatureVerifier(http))
			.withMessageStartingWith("SLACK_SIGNING_SECRET is not set");
	}

	@Test
	void socketModeOrTheConsoleWithoutASecretServeNoHttpDoor() {
		SlackProperties socketMode = new SlackProperties("xoxb-real", "", "xapp-real", "https://slack.com/api/", RETRY);
		SlackProperties console = new SlackProperties(null, null, null, "https://slack.com/api/", RETRY);

		assertThat(new SlackConfiguration().slackSignatureVerifier(socketMode)).isNull();
		assertThat(new SlackConfiguration().slackSignatureVerifier(console)).isNull();
	}

	@Test
	void aSecretVerifiesRequests() {
		SlackProperties configured = new SlackProperties("xoxb-real", "s3cret", null, "https://slack.com/api/", RETRY);

		assertThat(new SlackConfiguration().slackSignatureVerifier(configured)).isNotNull();
	}

}
