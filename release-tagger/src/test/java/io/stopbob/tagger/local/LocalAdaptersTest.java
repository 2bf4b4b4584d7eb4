package io.stopbob.tagger.local;

import io.stopbob.tagger.tagging.GitHost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.stopbob.platform.catalog.Environment;
import io.stopbob.tagger.ci.CiStatus.CiResult;
import io.stopbob.tagger.tagging.GitHost.ReleaseRequest;
import org.awaitility.Awaitility;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The local git host and CI against a real repository on disk. */
class LocalAdaptersTest {

	@TempDir
	Path dir;

	private Path repo;

	private Git git;

	private final ExecutorService runner = Executors.newSingleThreadExecutor();

	@BeforeEach
	void repository() throws Exception {
		this.repo = this.dir.resolve("demo");
		this.git = Git.init().setDirectory(this.repo.toFile()).setInitialBranch("main").call();
	}

	@AfterEach
	void close() {
		this.git.close();
		this.runner.shutdownNow();
	}

	@Test
	void aReleaseIsAnAnnotatedTagMadeOnceWithItsNotesBesideIt() throws Exception {
		RevCommit first = commit("ci.sh", "exit 0\n", "Add CI");
		JGitGitHost host = new JGitGitHost();
		ReleaseRequest request = new ReleaseRequest("staging-20261126-150700-" + first.name().substring(0, 7),
				first.name(), "Deploy d-1 of demo/staging asked by ann", "demo staging-1", "First release");

		String url = host.release(this.repo.toString(), request);
		String again = host.release(this.repo.toString(), request);

		assertThat(again).isEqualTo(url).startsWith("file:");
		assertThat(Files.readString(Path.of(java.net.URI.create(url)))).contains("First release");
		List<Ref> tags = this.git.tagList().call();
		assertThat(tags).hasSize(1);
		try (RevWalk walk = new RevWalk(this.git.getRepository())) {
			RevTag tag = walk.parseTag(tags.get(0).getObjectId());
			assertThat(tag.getFullMessage()).isEqualTo("Deploy d-1 of demo/staging asked by ann");
			assertThat(tag.getObject().name()).isEqualTo(first.name());
		}
	}

	@Test
	void commitsAreResolvedAndListedSinceThePreviousTag() throws Exception {
		RevCommit first = commit("a.txt", "a", "First");
		JGitGitHost host = new JGitGitHost();
		host.release(this.repo.toString(), new ReleaseRequest("staging-1", first.name(), "m", "n", "b"));
		commit("b.txt", "b", "Second (#12)");
		RevCommit third = commit("c.txt", "c", "Third");

		assertThat(host.resolveCommit(this.repo.toString(), third.name().substring(0, 7)))
			.hasValue(new GitHost.Commit(third.name(), third.getCommitterIdent().getWhenAsInstant()));
		assertThat(host.resolveCommit(this.repo.toString(), "deadbee")).isEmpty();
		assertThat(host.commitsBetween(this.repo.toString(), "staging-1", third.name()))
			.extracting((commit) -> commit.title())
			.containsExactly("Second (#12)", "Third");
	}

	@Test
	void theCiCommandRunsInACheckoutOfTheTagAndItsExitDecides() throws Exception {
		RevCommit green = commit("ci.sh", "echo building; exit 0\n", "Green");
		JGitGitHost host = new JGitGitHost();
		host.release(this.repo.toString(), new ReleaseRequest("staging-green", green.name(), "m", "n", "b"));
		RevCommit red = commit("ci.sh", "echo 'test failed: signup'; exit 3\n", "Red");
		host.release(this.repo.toString(), new ReleaseRequest("staging-red", red.name(), "m", "n", "b"));
		CommandCi ci = new CommandCi(this.dir.resolve("ci"), Duration.ofSeconds(30), 10, this.runner);
		Environment.Ci settings = new Environment.Ci(List.of(), Duration.ofMinutes(5), "sh ci.sh");

		assertThat(await(ci, "staging-green", green, settings)).isInstanceOfSatisfying(CiResult.Green.class,
				(result) -> assertThat(result.checks()).containsExactly("local-ci"));
		assertThat(await(ci, "staging-red", red, settings)).isInstanceOfSatisfying(CiResult.Red.class,
				(result) -> assertThat(result.detail()).isEqualTo("exit 3: test failed: signup"));
	}

	private CiResult await(CommandCi ci, String tag, RevCommit commit, Environment.Ci settings) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> !(ci.status(this.repo.toString(), tag, commit.name(), java.time.Instant.now(),
					settings) instanceof CiResult.Pending));
		return ci.status(this.repo.toString(), tag, commit.name(), java.time.Instant.now(), settings);
	}

	private RevCommit commit(String file, String content, String message) throws Exception {
		Files.writeString(this.repo.resolve(file), content);
		this.git.add().addFilepattern(file).call();
		return this.git.commit()
			.setMessage(message)
			.setAuthor(new PersonIdent("Ann", "ann@example.com"))
			.setCommitter(new PersonIdent("Ann", "ann@example.com"))
			.call();
	}

}
