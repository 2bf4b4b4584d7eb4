package io.stopbob.tagger.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.stopbob.tagger.tagging.GitHost;
import io.stopbob.tagger.tagging.GitHostException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A git repository on disk as the git host (the catalog's {@code repository} is its
 * path): real annotated tags through JGit, and the release notes as a file beside the tag
 * ({@code .git/stop-releases/<tag>.md}), whose {@code file:} URL stands for the release
 * page.
 */
public class JGitGitHost implements GitHost {

	private static final PersonIdent TAGGER = new PersonIdent("StoP Bob", "stop-bob@localhost");

	@Override
	public Optional<Commit> resolveCommit(String repository, String sha) {
		try (Git git = open(repository); RevWalk walk = new RevWalk(git.getRepository())) {
			ObjectId id = git.getRepository().resolve(sha + "^{commit}");
			if (id == null) {
				return Optional.empty();
			}
			var commit = walk.parseCommit(id);
			return Optional.of(new Commit(commit.name(), commit.getCommitterIdent().getWhenAsInstant()));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	@Override
	public List<CommitSummary> commitsBetween(String repository, String fromRef, String toSha) {
		try (Git git = open(repository)) {
			Repository repo = git.getRepository();
			ObjectId to = repo.resolve(toSha + "^{commit}");
			if (to == null) {
				throw new GitHostException("no commit " + toSha + " in " + repository, true, null);
			}
			var log = git.log().add(to);
			if (fromRef != null && repo.resolve(fromRef + "^{commit}") != null) {
				log.not(repo.resolve(fromRef + "^{commit}"));
			}
			else {
				log.setMaxCount(20);
			}
			List<CommitSummary> commits = new ArrayList<>();
			for (RevCommit commit : log.call()) {
				commits.add(0,
						new CommitSummary(commit.name(), commit.getShortMessage(), commit.getAuthorIdent().getName()));
			}
			return commits;
		}
		catch (IOException | GitAPIException ex) {
			throw new GitHostException("cannot read the history of " + repository + ": " + ex.getMessage(), true, ex);
		}
	}

	@Override
	public String release(String repository, ReleaseRequest request) {
		try (Git git = open(repository); RevWalk walk = new RevWalk(git.getRepository())) {
			Repository repo = git.getRepository();
			Ref existing = repo.exactRef("refs/tags/" + request.tag());
			if (existing == null) {
				git.tag()
					.setName(request.tag())
					.setObjectId(walk.parseCommit(repo.resolve(request.sha())))
					.setMessage(request.tagMessage())
					.setTagger(TAGGER)
					.setAnnotated(true)
					.call();
			}
			Path notes = repo.getDirectory().toPath().resolve("stop-releases").resolve(request.tag() + ".md");
			if (!Files.exists(notes)) {
				Files.createDirectories(notes.getParent());
				Files.writeString(notes, "# " + request.name() + "\n\n" + request.body() + "\n");
			}
			return notes.toUri().toString();
		}
		catch (IOException | GitAPIException ex) {
			throw new GitHostException("cannot tag " + request.tag() + " in " + repository + ": " + ex.getMessage(),
					true, ex);
		}
	}

	private static Git open(String repository) {
		try {
			return Git.open(new File(repository));
		}
		catch (IOException ex) {
			throw new GitHostException("no git repository at " + new File(repository).getAbsolutePath()
					+ " (the catalog's repository for the local adapter is a path)", true, ex);
		}
	}

}
