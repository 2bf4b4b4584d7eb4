package io.stopbob.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StopCliTest {

	@TempDir
	Path root;

	@Test
	void theDemoRepositoryEndsWithTheCommitThatFailsItsHealthCheckAndIsMadeOnce() throws Exception {
		Path repo = this.root.resolve(".stop/demo-repo");
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		DemoRepository.create(repo, new PrintStream(out));
		DemoRepository.create(repo, new PrintStream(out));

		try (Git git = Git.open(repo.toFile())) {
			assertThat(git.log().call()).extracting((commit) -> commit.getShortMessage())
				.containsExactly("An unhappy accident: fails its health check (#3)", "Paint a happy little tree (#2)",
						"Add a happy little cloud (#1)", "Start the demo app");
		}
		assertThat(Files.readString(repo.resolve(".stop-health"))).isEqualTo("fail\n");
		assertThat(out.toString()).containsOnlyOnce("demo repository:");
	}

	@Test
	void aRefIsResolvedInTheAppsLocalRepositoryAndAShaIsTakenAsGiven() throws Exception {
		Path repo = this.root.resolve(".stop/demo-repo");
		DemoRepository.create(repo, new PrintStream(new ByteArrayOutputStream()));
		Files.createDirectories(this.root.resolve("config"));
		Files.writeString(this.root.resolve("config/catalog.yml"), "apps:\n  demo:\n    repository: .stop/demo-repo\n");
		Stack stack = Stack.scratch(this.root, this.root.resolve("scratch"));

		String head = StopCli.resolve(stack, "demo", "HEAD");

		assertThat(head).hasSize(40);
		assertThat(StopCli.resolve(stack, "demo", "HEAD~1")).isNotEqualTo(head).hasSize(40);
		assertThat(StopCli.resolve(stack, "demo", "abc1234")).isEqualTo("abc1234");
		assertThatIllegalArgumentException().isThrownBy(() -> StopCli.resolve(stack, "demo", "no-such-ref"))
			.withMessageContaining("no commit no-such-ref");
		assertThatIllegalArgumentException().isThrownBy(() -> StopCli.resolve(stack, "nope", "HEAD"))
			.withMessageContaining("unknown app nope");
	}

	@Test
	void upRunsOneInstanceOfEachServiceUnlessToldHowMany() {
		StopCli.Up up = new StopCli.Up();
		new CommandLine(up).parseArgs();
		assertThat(up.instances).isEqualTo(1);

		new CommandLine(up).parseArgs("--instances", "3");
		assertThat(up.instances).isEqualTo(3);

		assertThat(new CommandLine(new StopCli.Up()).getUsageMessage()).contains("--instances").contains("8091-8094");
	}

	@Test
	void upRefusesInstanceCountsItCannotRun() {
		for (String count : new String[] { "0", "11", "two" }) {
			assertThatExceptionOfType(CommandLine.ParameterException.class)
				.isThrownBy(() -> new CommandLine(new StopCli.Up()).parseArgs("--instances", count))
				.withMessageContaining("--instances");
		}
	}

}
