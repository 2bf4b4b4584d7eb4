package io.stopbob.ingress;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.stopbob.events.DeployKind;
import io.stopbob.events.DeployRequested;
import io.stopbob.schemas.Topics;
import io.stopbob.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeployModalTest extends IngressTest {

	@Test
	void aValidSubmissionPostsTheStartMessageThenPublishesOneRequestWithThatThread() {
		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			var response = submit("U0ANN", "ann", "demo", "staging", "3F9C2A1E8B", "fixes the signup form");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEmpty();
			DeployRequested requested = requested(requests, 1,
					(event) -> event.getRequestedBy().getId().equals("U0ANN"))
				.get(0);
			try {
				assertThatTheRequestCarriesItsThread(requested, requests);
			}
			finally {
				finish(requested.getMeta().getDeployId(), "demo", "staging");
			}
		}
	}

	private void assertThatTheRequestCarriesItsThread(DeployRequested requested, TopicProbe requests) {
		{
			assertThat(requested.getSha()).isEqualTo("3f9c2a1e8b");
			assertThat(requested.getKind()).isEqualTo(DeployKind.DEPLOY);
			assertThat(requested.getReason()).isEqualTo("fixes the signup form");
			assertThat(requested.getRequestedBy().getName()).isEqualTo("ann");
			assertThat(requested.getSlackChannel()).isEqualTo("C0DEPLOYS");
			String deployId = requested.getMeta().getDeployId();
			ServeEvent start = startMessage(deployId);
			assertThat(start.getRequest().formParameters().get("channel").firstValue()).isEqualTo("C0DEPLOYS");
			assertThat(start.getRequest().formParameters().get("text").firstValue())
				.startsWith("deploying demo `3f9c2a1` to staging (asked by ann: fixes the signup form)");
			assertThat(start.getResponse().getBodyAsString())
				.contains("\"ts\":\"" + requested.getSlackThreadTs() + "\"");
			assertThat(requests.drain(Duration.ofSeconds(1))
				.stream()
				.filter((record) -> TopicProbe.event(record).toString().contains(deployId))).hasSize(1);
		}
	}

	@Test
	void aBadShaIsShownUnderTheShaFieldAndNothingIsPublished() {
		var response = submit("U0BEA", "bea", "demo", "staging", "not-a-sha!", null);

		assertThat(response.body()).contains("\"response_action\":\"errors\"")
			.contains("\"sha\":\"A commit SHA is 7 to 40 hex characters (0-9, a-f).\"");
		assertThat(slackCalls("chat.postMessage", "bea")).isEmpty();
	}

	@Test
	void anEnvironmentTheAppDoesNotHaveIsShownUnderTheEnvironmentField() {
		var response = submit("U0BEA", "bea", "demo", "qa", "abc1234", null);

		assertThat(text(response)).contains(
				"\"environment\":\"demo has no environment 'qa'. Choose one of: fragile, frozen, hurried, ops, production, queued, reviewed, staging, stuck\"");
	}

	@Test
	void someoneNotAllowedToDeployToProductionIsToldSo() {
		var response = submit("U0STRANGER", "stranger", "demo", "production", "abc1234", null);

		assertThat(response.body())
			.contains("\"environment\":\"You are not on the list of people who may deploy demo to production.");
		assertThat(slackCalls("chat.postMessage", "stranger")).isEmpty();
	}

	@Test
	void aMemberOfAnAllowedUserGroupMayDeployToProduction() {
		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			assertThat(submit("U0GROUPED", "gus", "demo", "production", "abc1234", null).body()).isEmpty();

			DeployRequested requested = requested(requests, 1,
					(event) -> event.getRequestedBy().getId().equals("U0GROUPED"))
				.get(0);
			assertThat(slackCalls("usergroups.users.list", "S0DEPLOYERS")).isNotEmpty();
			finish(requested.getMeta().getDeployId(), "demo", "production");
		}
	}

	@Test
	void aBusyTargetSaysWhoIsDeployingAndSinceWhen() {
		try (TopicProbe requests = probe(Topics.DEPLOY_REQUESTED)) {
			submit("U0CAL", "cal", "demo", "staging", "1a2b3c4d", null);
			String first = requested(requests, 1, (event) -> event.getRequestedBy().getId().equals("U0CAL")).get(0)
				.getMeta()
				.getDeployId();

			try {
				var second = submit("U0DOT", "dot", "demo", "staging", "5e6f7a8b", null);

				assertThat(second.body()).contains("\"response_action\":\"errors\"")
					.contains("demo/staging is busy: cal is deploying 1a2b3c4 (" + first + ", stage requested) since");
				assertThat(requests.drain(Duration.ofSeconds(1)))
					.noneMatch((record) -> TopicProbe.event(record).toString().contains("U0DOT"));
			}
			finally {
				finish(first, "demo", "staging");
			}
		}
	}

	private java.net.http.HttpResponse<String> submit(String userId, String userName, String app, String environment,
			String sha, String reason) {
		return submitView(userId, userName, "stop_deploy", app + "|C0CHAT", "Deploy " + app,
				"""
						{"sha":{"value":{"type":"plain_text_input","value":"%s"}},
						 "environment":{"value":{"type":"static_select","selected_option":{"text":{"type":"plain_text","text":"%s"},"value":"%s"}}},
						 "reason":{"value":{"type":"plain_text_input","value":%s}}}
						"""
					.formatted(sha, environment, environment, (reason != null) ? "\"" + reason + "\"" : "null"));
	}

	private static ServeEvent startMessage(String deployId) {
		List<ServeEvent> events = slack.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getUrl().equals("/api/chat.postMessage")
					&& event.getRequest().getBodyAsString().contains(deployId + "%3Astart"))
			.toList();
		assertThat(events).hasSize(1);
		return events.get(0);
	}

}
