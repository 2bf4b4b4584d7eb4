package io.stopbob.changelog.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.stopbob.changelog.changes.Change;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local history against a real repository with a merge commit and a squash commit.
 */
class JGitChangeHistoryTest {

	@TempDir
	Path dir;

	@Test
	void mergeAndSquashCommitsAreFoundAsPullRequestsAndTheRestAsPlainCommits() throws Exception {
		try (Git git = Git.init().setDirectory(this.dir.toFile()).setInitialBranch("main").call()) {
			RevCommit released = commit(git, "a.txt", "Start", "Ann");
			git.branchCreate().setName("ann/signup").call();
			git.checkout().setName("ann/signup").call();
			commit(git, "signup.txt", "Validate emails", "Ann");
			git.checkout().setName("main").call();
			commit(git, "readme.txt", "Hotfix typo", "Bob");
			RevCommit merge = git.merge()
				.include(git.getRepository().resolve("ann/signup"))
				.setFastForward(MergeCommand.FastForwardMode.NO_FF)
				.setMessage("Merge pull request #7 from ann/signup\n\nFix the signup form")
				.call()
				.getNewHead() == null ? null : git.log().setMaxCount(1).call().iterator().next();
			RevCommit squash = commit(git, "dark.txt", "Add dark mode (#8)", "Cy");

			List<Change> changes = new JGitChangeHistory().between(this.dir.toString(), released.name(), squash.name());

			assertThat(merge).isNotNull();
			assertThat(changes).extracting(Change::title)
				.containsExactlyInAnyOrder("Validate emails", "Hotfix typo", "Merge pull request #7 from ann/signup",
						"Add dark mode (#8)");
			assertThat(changes).filteredOn((change) -> change.pullRequest() != null)
				.extracting((change) -> change.pullRequest().number() + " " + change.pullRequest().title())
				.containsExactlyInAnyOrder("7 Fix the signup form", "8 Add dark mode");
			assertThat(changes.get(changes.size() - 1).title()).isEqualTo("Add dark mode (#8)");
			assertThat(new JGitChangeHistory().last(this.dir.toString(), squash.name(), 2)).hasSize(2);
		}
	}

	private RevCommit commit(Git git, String file, String message, String author) throws Exception {
		Files.writeString(this.dir.resolve(file), message);
		git.add().addFilepattern(file).call();
		PersonIdent who = new PersonIdent(author, author.toLowerCase() + "@example.com");
		return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
	}

}
