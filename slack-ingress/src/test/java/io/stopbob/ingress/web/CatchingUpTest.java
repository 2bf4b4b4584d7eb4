package io.stopbob.ingress.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.stopbob.ingress.command.CommandHandler;
import io.stopbob.ingress.command.CommandRouter;
import io.stopbob.ingress.command.Reply;
import io.stopbob.ingress.command.SlashCommand;
import io.stopbob.ingress.operations.StateGuard;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Until the read models hold every target, nothing that depends on them answers from half
 * the log: the API and the pages say 503 with Retry-After, Slack commands say so
 * ephemerally, and no handler runs.
 */
class CatchingUpTest {

	private final AtomicBoolean caughtUp = new AtomicBoolean(false);

	private final StateGuard guard = new StateGuard(this.caughtUp::get,
			() -> Map.of("deploy-requested-0", "read", "deploy-requested-1", "reading 3 of 9"));

	@Test
	void theApiAnswers503WithRetryAfterWhileCatchingUpAndPassesOnceCaughtUp() throws Exception {
		CatchingUpInterceptor interceptor = new CatchingUpInterceptor(this.guard);
		MockHttpServletResponse response = new MockHttpServletResponse();

		assertThat(interceptor.preHandle(new MockHttpServletRequest("GET", "/api/stats"), response, null)).isFalse();

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(response.getContentAsString())
			.startsWith("{\"errors\":[{\"field\":\"state\",\"message\":\"catching up")
			.contains("1 of 2 partitions read");

		this.caughtUp.set(true);
		assertThat(interceptor.preHandle(new MockHttpServletRequest("GET", "/api/stats"), new MockHttpServletResponse(),
				null))
			.isTrue();
	}

	@Test
	void aSlashCommandIsAnsweredEphemerallyAndItsHandlerDoesNotRunWhileCatchingUp() {
		AtomicBoolean ran = new AtomicBoolean();
		CommandRouter router = new CommandRouter(List.of(new CommandHandler() {

			@Override
			public String name() {
				return "status";
			}

			@Override
			public String usage() {
				return "status <app>";
			}

			@Override
			public Reply handle(SlashCommand command, List<String> args) {
				ran.set(true);
				return new Reply.Ephemeral("demo/staging runs 3f9c2a1");
			}

		}), this.guard);

		Reply reply = router.route(new SlashCommand("U1", "ann", "C1", "status demo", "t.1"));

		assertThat(reply).isInstanceOfSatisfying(Reply.Ephemeral.class,
				(ephemeral) -> assertThat(ephemeral.text()).contains("catching up with the log")
					.contains("Nothing was changed"));
		assertThat(ran).isFalse();
	}

}
