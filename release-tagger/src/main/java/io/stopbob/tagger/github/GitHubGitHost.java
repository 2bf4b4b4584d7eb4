package io.stopbob.tagger.github;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.stopbob.tagger.tagging.GitHost;
import org.kohsuke.github.GHCompare;
import org.kohsuke.github.GHRelease;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTagObject;
import org.kohsuke.github.GitHub;

/**
 * GitHub as the git host: commits, annotated tags (tag object + ref), releases and
 * compare. The tag and the release are looked for before they are made.
 */
class GitHubGitHost implements GitHost {

	private final GitHub github;

	private final TaggerCalls calls;

	GitHubGitHost(GitHub github, TaggerCalls calls) {
		this.github = github;
		this.calls = calls;
	}

	@Override
	public Optional<Commit> resolveCommit(String repository, String sha) {
		GHRepository repo = repository(repository);
		return this.calls.find("commit " + sha + " of " + repository, () -> {
			var commit = repo.getCommit(sha);
			var info = commit.getCommitShortInfo();
			var by = (info.getCommitter() != null) ? info.getCommitter() : info.getAuthor();
			return new Commit(commit.getSHA1(), (by != null && by.getDate() != null) ? by.getDate().toInstant() : null);
		});
	}

	@Override
	public List<CommitSummary> commitsBetween(String repository, String fromRef, String toSha) {
		GHRepository repo = repository(repository);
		List<CommitSummary> commits = new ArrayList<>();
		if (fromRef == null) {
			this.calls.call("history of " + repository, () -> {
				for (var commit : repo.queryCommits().from(toSha).pageSize(20).list().withPageSize(20)) {
					commits.add(0, new CommitSummary(commit.getSHA1(), title(commit.getCommitShortInfo().getMessage()),
							commit.getCommitShortInfo().getAuthor().getName()));
					if (commits.size() == 20) {
						break;
					}
				}
				return commits;
			});
			return commits;
		}
		GHCompare compare = this.calls.call("compare " + fromRef + "..." + toSha,
				() -> repo.getCompare(fromRef, toSha));
		for (GHCompare.Commit commit : compare.getCommits()) {
			commits.add(new CommitSummary(commit.getSHA1(), title(commit.getCommit().getMessage()),
					commit.getCommit().getAuthor().getName()));
		}
		return commits;
	}

	@Override
	public String release(String repository, ReleaseRequest request) {
		GHRepository repo = repository(repository);
		String tag = request.tag();
		if (this.calls.find("tag " + tag, () -> repo.getRef("tags/" + tag)).isEmpty()) {
			GHTagObject tagObject = this.calls.call("create tag " + tag,
					() -> repo.createTag(tag, request.tagMessage(), request.sha(), "commit"));
			this.calls.create("create ref tags/" + tag, () -> repo.createRef("refs/tags/" + tag, tagObject.getSha()));
		}
		Optional<GHRelease> existing = this.calls.find("release " + tag, () -> repo.getReleaseByTagName(tag));
		GHRelease release = existing.orElseGet(() -> this.calls.create("create release " + tag,
				() -> repo.createRelease(tag).name(request.name()).body(request.body()).create()));
		return release.getHtmlUrl().toString();
	}

	private GHRepository repository(String repository) {
		return this.calls.call("repository " + repository, () -> this.github.getRepository(repository));
	}

	private static String title(String message) {
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

}
