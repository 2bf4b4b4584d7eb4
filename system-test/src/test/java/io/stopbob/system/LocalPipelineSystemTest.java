package io.stopbob.system;

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

	@BeforeAll
	static void startTheStack() throws Exception {
		stack = new SystemStack();
		Path repo = stack.home.resolve("demo-repo");
		try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
			Files.writeString(repo.resolve("ci.sh"), "echo tests pass\nexit 0\n");
			good = commit(git, repo, "VERSION", "1", "Start the demo app");
			unhealthy = commit(git, repo, ".stop-health", "fail\n", "An unhappy accident (#3)");
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
