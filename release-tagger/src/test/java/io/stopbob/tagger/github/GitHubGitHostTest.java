package io.stopbob.tagger.github;

import java.time.Duration;

import io.stopbob.tagger.TaggerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The GitHub adapter alone against the same stub as the service tests. */
class GitHubGitHostTest {

	@Test
	void commitsSinceThePreviousReleaseComeFromTheCompareApi() {
		String sha = "1111111111111111111111111111111111111111";
		TaggerTest.githubWith(sha, "[]");
		GitHubAdapters adapters = new GitHubAdapters("ghp_test", TaggerTest.github.baseUrl(), 2, Duration.ofMillis(10),
				Duration.ofSeconds(1));

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
		GitHubAdapters adapters = new GitHubAdapters("ghp_test", TaggerTest.github.baseUrl(), 2, Duration.ofMillis(10),
				Duration.ofSeconds(1));

		org.assertj.core.api.Assertions.assertThatExceptionOfType(io.stopbob.tagger.tagging.GitHostException.class)
			.isThrownBy(() -> adapters.gitHost().commitsBetween("stop-bob/demo", "staging-1", sha))
			.withMessageContaining("could not be read");
	}

}
