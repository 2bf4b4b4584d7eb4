package io.stopbob.changelog.github;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.stopbob.changelog.changes.Change;
import io.stopbob.changelog.changes.ChangeHistory;
import io.stopbob.changelog.changes.PullRequests;
import io.stopbob.github.GitHubCalls;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;

/**
 * What changed, as GitHub knows it: the compare API for the commits, and each commit's
 * pull request from its title ({@code (#123)}, {@code Merge pull request #123}) or, when
 * the title names none, from the commit's associated pull requests.
 */
public class GitHubChangeHistory implements ChangeHistory {

	/**
	 * Commits whose pull request is asked for one by one; past this they are listed
	 * plainly.
	 */
	static final int MAX_LOOKUPS = 100;

	private final GitHub github;

	private final GitHubCalls calls;

	public GitHubChangeHistory(GitHub github, GitHubCalls calls) {
		this.github = github;
		this.calls = calls;
	}

	@Override
	public List<Change> between(String repository, String fromRef, String toSha) {
		GHRepository repo = repository(repository);
		var compare = this.calls.call("compare " + fromRef + "..." + toSha, () -> repo.getCompare(fromRef, toSha));
		List<Raw> raws = new ArrayList<>();
		for (var commit : compare.getCommits()) {
			raws.add(new Raw(commit.getSHA1(), commit.getCommit().getMessage(),
					commit.getCommit().getAuthor().getName(), commit));
		}
		return changes(repo, raws);
	}

	@Override
	public List<Change> last(String repository, String sha, int count) {
		GHRepository repo = repository(repository);
		List<Raw> raws = new ArrayList<>();
		this.calls.call("history of " + repository, () -> {
			for (GHCommit commit : repo.queryCommits().from(sha).pageSize(count).list().withPageSize(count)) {
				raws.add(0, new Raw(commit.getSHA1(), commit.getCommitShortInfo().getMessage(),
						commit.getCommitShortInfo().getAuthor().getName(), commit));
				if (raws.size() == count) {
					break;
				}
			}
			return raws;
		});
		return changes(repo, raws);
	}

	@Override
	public String compareUrl(String repository, String fromRef, String toRef) {
		return repository(repository).getHtmlUrl() + "/compare/" + fromRef + "..." + toRef;
	}

	private List<Change> changes(GHRepository repo, List<Raw> raws) {
		Map<Integer, Change.PullRequest> pulls = new HashMap<>();
		List<Change> changes = new ArrayList<>();
		int lookups = 0;
		for (Raw raw : raws) {
			String title = firstLine(raw.message());
			OptionalInt number = PullRequests.number(title);
			Change.PullRequest pull = null;
			if (number.isPresent()) {
				String prTitle = PullRequests.isMergeCommit(title) ? secondParagraph(raw.message(), title)
						: PullRequests.withoutNumber(title);
				pull = pulls.computeIfAbsent(number.getAsInt(),
						(n) -> new Change.PullRequest(n, prTitle, raw.author(), repo.getHtmlUrl() + "/pull/" + n));
			}
			else if (lookups++ < MAX_LOOKUPS) {
				pull = associatedPull(raw, pulls);
			}
			changes.add(new Change(raw.sha(), title, raw.author(), pull));
		}
		return changes;
	}

	private Change.PullRequest associatedPull(Raw raw, Map<Integer, Change.PullRequest> pulls) {
		List<GHPullRequest> associated = this.calls.call("pull requests of " + raw.sha(),
				() -> raw.commit().listPullRequests().toList());
		if (associated.isEmpty()) {
			return null;
		}
		GHPullRequest pull = associated.get(0);
		String author = this.calls.call("author of pull request " + pull.getNumber(),
				() -> (pull.getUser() != null) ? pull.getUser().getLogin() : raw.author());
		return pulls.computeIfAbsent(pull.getNumber(),
				(n) -> new Change.PullRequest(n, pull.getTitle(), author, pull.getHtmlUrl().toString()));
	}

	private GHRepository repository(String repository) {
		return this.calls.call("repository " + repository, () -> this.github.getRepository(repository));
	}

	private static String firstLine(String message) {
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

	private static String secondParagraph(String message, String fallback) {
		String[] paragraphs = message.split("\n\\s*\n", 3);
		return (paragraphs.length > 1 && !paragraphs[1].isBlank()) ? firstLine(paragraphs[1].strip()) : fallback;
	}

	private record Raw(String sha, String message, String author, GHCommit commit) {
	}

}
