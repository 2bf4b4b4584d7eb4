package io.stopbob.tagger.github;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.stopbob.github.GitHubAccess;

import io.stopbob.tagger.TaggerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The GitHub adapter alone against the same stub as the service tests. */
class GitHubGitHostTest {

	@Test
	void commitsSinceThePreviousReleaseComeFromTheCompareApi() {
		String sha = "1111111111111111111111111111111111111111";
		TaggerTest.githubWith(sha, "[]");
		GitHubAdapters adapters = new GitHubAdapters(new GitHubAccess("ghp_test", null), TaggerTest.github.baseUrl(), 2,
				Duration.ofMillis(10), Duration.ofSeconds(1));

		var commits = adapters.gitHost().commitsBetween("stop-bob/demo", "staging-20261126-150700-1a2b3c4", sha);

		assertThat(commits).hasSize(1);
		assertThat(commits.get(0).title()).isEqualTo("Fix the signup form");
		assertThat(commits.get(0).author()).isEqualTo("Ann");
	}

	@Test
	void anAnswerTheClientCannotReadBecomesAGitHostErrorNotAHang() {
		String sha = "2222222222222222222222222222222222222222";
		TaggerTest.githubWith(sha, "[]");
		TaggerTest.github.stubFor(com.github.tomakehurst.wiremock.client.WireMock
			.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(TaggerTest.REPO + "/compare/.*"))
			.willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"commits\":[]}")));
		GitHubAdapters adapters = new GitHubAdapters(new GitHubAccess("ghp_test", null), TaggerTest.github.baseUrl(), 2,
				Duration.ofMillis(10), Duration.ofSeconds(1));

		org.assertj.core.api.Assertions.assertThatExceptionOfType(io.stopbob.tagger.tagging.GitHostException.class)
			.isThrownBy(() -> adapters.gitHost().commitsBetween("stop-bob/demo", "staging-1", sha))
			.withMessageContaining("could not be read");
	}

	@Test
	void aGitHubAppCallsWithInstallationTokensAndRenewsThemBeforeTheyExpire() throws Exception {
		String sha = "3333333333333333333333333333333333333333";
		TaggerTest.githubWith(sha, "[]");
		var github = TaggerTest.github;
		github.stubFor(WireMock.get(WireMock.urlPathEqualTo("/app"))
			.willReturn(WireMock.okJson("{\"id\":1,\"slug\":\"stop-bob\",\"name\":\"StoP Bob\"}")));
		github.stubFor(WireMock.get(WireMock.urlPathEqualTo("/app/installations/42")).willReturn(WireMock.okJson("""
				{"id":42,"app_id":1,"target_type":"Organization","account":{"login":"stop-bob","id":1},
				 "access_tokens_url":"%s/app/installations/42/access_tokens"}""".formatted(github.baseUrl()))));
		// Good for two minutes: inside the five minutes before expiry, so each use renews
		// it.
		github.stubFor(WireMock.post(WireMock.urlPathEqualTo("/app/installations/42/access_tokens"))
			.willReturn(WireMock.aResponse()
				.withStatus(201)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"token\":\"ghs_installation\",\"expires_at\":\""
						+ java.time.Instant.now().plusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
						+ "\",\"permissions\":{\"contents\":\"write\"},\"repository_selection\":\"selected\"}")));
		github.resetRequests();
		GitHubAdapters adapters = new GitHubAdapters(
				new GitHubAccess(null, new GitHubAccess.App("1", 42L, pkcs1Pem(), null)), github.baseUrl(), 2,
				Duration.ofMillis(10), Duration.ofSeconds(1));

		adapters.gitHost().commitsBetween("stop-bob/demo", "staging-1", sha);
		adapters.gitHost().commitsBetween("stop-bob/demo", "staging-2", sha);

		github.verify(WireMock.exactly(2),
				WireMock.getRequestedFor(WireMock.urlPathMatching(TaggerTest.REPO + "/compare/.*"))
					.withHeader("Authorization", WireMock.equalTo("token ghs_installation")));
		github.verify(WireMock.moreThanOrExactly(2),
				WireMock.postRequestedFor(WireMock.urlPathEqualTo("/app/installations/42/access_tokens"))
					.withHeader("Authorization",
							WireMock.matching("Bearer [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")));
	}

	/** An app's private key as GitHub hands it out: PKCS#1, "BEGIN RSA PRIVATE KEY". */
	private static String pkcs1Pem() throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
		// PKCS#8 wraps the PKCS#1 key in a 26-byte header for a 2048-bit RSA key.
		byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
		assertThat(pkcs1[0]).isEqualTo((byte) 0x30);
		return "-----BEGIN RSA PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(pkcs1)
				+ "\n-----END RSA PRIVATE KEY-----\n";
	}

}
