package io.stopbob.system;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline across real processes, as {@code bin/stop up} runs it: a standalone
 * KRaft broker ({@code bin/kafka-broker}) and the four service jars, each its own JVM,
 * with the local adapters (JGit repository, command CI, local fleet, console Slack).
 * Bounded: every wait has a deadline, and every process is stopped at the end.
 */
class LocalPipelineSystemTest {

	private static SystemStack stack;

	private static String good;

	private static String unhealthy;

	private static String better;

	@BeforeAll
	static void startTheStack() throws Exception {
		stack = new SystemStack();
		Path repo = stack.home.resolve("demo-repo");
		try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
			Files.writeString(repo.resolve("ci.sh"), "echo tests pass\nexit 0\n");
			good = commit(git, repo, "VERSION", "1", "Start the demo app");
			unhealthy = commit(git, repo, ".stop-health", "fail\n", "An unhappy accident (#3)");
			better = commit(git, repo, ".stop-health", "ok\n", "Happy again (#4)");
		}
		Path catalog = stack.home.resolve("catalog.yml");
		Files.writeString(catalog, """
				apps:
				  demo:
				    repository: %s
				    deploy-channel: "#deploys"
				    changelog-channel: "#changelog"
				    environments:
				      staging:
				        tag-prefix: staging-
				        ci: { command: sh ci.sh, timeout: 2m }
				        rollout:
				          backend: local
				          local: { instances: 2, health-timeout: 2s }
				""".formatted(repo));
		stack.start(catalog, List.of(), Map.of());
	}

	@AfterAll
	static void stopTheStack() throws Exception {
		if (stack != null) {
			stack.stop();
		}
	}

	@Test
	void aGoodCommitGoesThroughTagCiChangelogAndRolloutToSucceeded() throws Exception {
		String deployId = deploy(good);

		String outcome = awaitOutcome(deployId);

		assertThat(outcome).contains("\"outcome\":\"SUCCEEDED\"");
		assertThat(stack.logOf("slack-ingress"))
			.contains("[" + deployId + "] #deploys deploying demo `" + good.substring(0, 7))
			.contains("[" + deployId + "] #deploys (thread) :label: tagged `staging-")
			.contains("[" + deployId + "] #deploys (thread) :white_check_mark: build passed: local-ci")
			.contains("[" + deployId + "] #deploys :tada: demo `" + good.substring(0, 7) + "` is live on staging");
		assertThat(stack.logOf("changelog-poster")).contains("[" + deployId + "] #changelog");
	}

	@Test
	void theCommitMarkedUnhealthyIsRolledBackAndSaysWhichInstanceFailed() throws Exception {
		String deployId = deploy(unhealthy);

		String outcome = awaitOutcome(deployId);

		assertThat(outcome).contains("\"outcome\":\"ROLLED_BACK\"").contains("failed health check");
		assertThat(stack.logOf("slack-ingress"))
			.contains("[" + deployId + "] #deploys :leftwards_arrow_with_hook: demo `" + unhealthy.substring(0, 7)
					+ "` to staging was rolled back");
	}

	@Test
	void aLockSurvivesARestartRefusesDeploysAndLetsARollbackThroughThatSkipsCi() throws Exception {
		assertThat(awaitOutcome(deploy(good))).contains("\"outcome\":\"SUCCEEDED\"");
		assertThat(awaitOutcome(deploy(better))).contains("\"outcome\":\"SUCCEEDED\"");
		assertThat(stack.slash("U0LOCALDEV", "lock demo staging the database is being moved")).contains(":lock:");

		stack.restart("slack-ingress");

		HttpResponse<String> refused = stack.request("demo", "staging", better, null);
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("demo/staging is locked by U0LOCALDEV since")
			.contains("the database is being moved");

		long confirmed = System.nanoTime();
		HttpResponse<String> rollback = stack.rollback("demo", "staging");
		assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(202);
		String deployId = SystemStack.deployId(rollback.body());
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!stack.show(deployId).contains("\"stage\":\"ROLLING_OUT\"")
				&& !stack.show(deployId).contains("\"outcome\"") && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		// The target is under 5 s on the local stack; printed, not asserted (a
		// shared machine).
		System.out.printf("rollback: confirmed -> rollout started in %d ms%n",
				(System.nanoTime() - confirmed) / 1_000_000);

		assertThat(awaitOutcome(deployId)).contains("\"outcome\":\"SUCCEEDED\"").contains(good);
		assertThat(stack.logOf("slack-ingress"))
			.contains("[" + deployId + "] #deploys rolling back demo `" + good.substring(0, 7))
			.contains("[" + deployId
					+ "] #deploys (thread) :white_check_mark: build passed earlier (reused for this rollback)");
		assertThat(stack.slash("U0LOCALDEV", "unlock demo staging")).contains(":unlock:");
		assertThat(stack.slash("U0LOCALDEV", "history demo staging 1")).contains("rollback").contains(deployId);
	}

	private static String deploy(String sha) throws Exception {
		return stack.deploy("demo", "staging", sha, null);
	}

	private static String awaitOutcome(String deployId) throws Exception {
		return stack.awaitOutcome(deployId, Duration.ofSeconds(90));
	}

	private static String commit(Git git, Path repo, String file, String content, String message) throws Exception {
		Files.writeString(repo.resolve(file), content);
		git.add().addFilepattern(".").call();
		PersonIdent bob = new PersonIdent("Bob Ross", "bob@stop.local");
		return git.commit().setMessage(message).setAuthor(bob).setCommitter(bob).call().name();
	}

}
