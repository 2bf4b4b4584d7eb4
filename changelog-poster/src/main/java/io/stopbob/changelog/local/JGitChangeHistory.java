package io.stopbob.changelog.local;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import io.stopbob.changelog.changes.Change;
import io.stopbob.changelog.changes.ChangeHistory;
import io.stopbob.changelog.changes.PullRequests;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LogCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * What changed, from a repository on disk: the log between the two refs; pull requests
 * from the commit titles (squash and merge commits), since a local repository has no
 * other record of them.
 */
public class JGitChangeHistory implements ChangeHistory {

	@Override
	public List<Change> between(String repository, String fromRef, String toSha) {
		return log(repository, fromRef, toSha, -1);
	}

	@Override
	public List<Change> last(String repository, String sha, int count) {
		return log(repository, null, sha, count);
	}

	@Override
	public String compareUrl(String repository, String fromRef, String toRef) {
		return null;
	}

	private List<Change> log(String repository, String fromRef, String toSha, int count) {
		try (Git git = Git.open(new File(repository))) {
			ObjectId to = git.getRepository().resolve(toSha + "^{commit}");
			if (to == null) {
				throw new IllegalArgumentException("no commit " + toSha + " in " + repository);
			}
			LogCommand log = git.log().add(to);
			if (fromRef != null) {
				ObjectId from = git.getRepository().resolve(fromRef + "^{commit}");
				if (from != null) {
					log.not(from);
				}
			}
			if (count > 0) {
				log.setMaxCount(count);
			}
			List<Change> changes = new ArrayList<>();
			for (RevCommit commit : log.call()) {
				String title = commit.getShortMessage();
				OptionalInt number = PullRequests.number(title);
				Change.PullRequest pull = number.isPresent()
						? new Change.PullRequest(number.getAsInt(),
								PullRequests.isMergeCommit(title) ? mergedTitle(commit)
										: PullRequests.withoutNumber(title),
								commit.getAuthorIdent().getName(), null)
						: null;
				changes.add(0, new Change(commit.name(), title, commit.getAuthorIdent().getName(), pull));
			}
			return changes;
		}
		catch (IOException | GitAPIException ex) {
			throw new IllegalStateException("cannot read the history of " + repository + ": " + ex.getMessage(), ex);
		}
	}

	private static String mergedTitle(RevCommit merge) {
		String[] paragraphs = merge.getFullMessage().split("\n\\s*\n", 3);
		return (paragraphs.length > 1 && !paragraphs[1].isBlank()) ? paragraphs[1].strip().split("\n")[0]
				: merge.getShortMessage();
	}

}
