package io.stopbob.tagger.github;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stopbob.platform.catalog.Environment;
import io.stopbob.tagger.ci.CiStatus;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCommitState;
import org.kohsuke.github.GHCommitStatus;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;

/**
 * CI as GitHub reports it for a commit: check runs (Actions, most CI apps) and commit
 * statuses (CircleCI and older integrations), the newest of each name counting.
 */
class GitHubCiStatus implements CiStatus {

	private static final Set<GHCheckRun.Conclusion> PASSING = Set.of(GHCheckRun.Conclusion.SUCCESS,
			GHCheckRun.Conclusion.NEUTRAL, GHCheckRun.Conclusion.SKIPPED);

	private final GitHub github;

	private final TaggerCalls calls;

	GitHubCiStatus(GitHub github, TaggerCalls calls) {
		this.github = github;
		this.calls = calls;
	}

	@Override
	public String provider() {
		return "github-checks";
	}

	@Override
	public CiResult status(String repository, String tag, String sha, Environment.Ci ci) {
		List<String> requiredChecks = ci.requiredChecks();
		GHRepository repo = this.calls.call("repository " + repository, () -> this.github.getRepository(repository));
		Map<String, Check> checks = new LinkedHashMap<>();
		this.calls.call("check runs of " + sha, () -> {
			for (GHCheckRun run : repo.getCheckRuns(sha)) {
				checks.putIfAbsent(run.getName(), new Check(run.getName(), state(run),
						(run.getHtmlUrl() != null) ? run.getHtmlUrl().toString() : null));
			}
			return checks;
		});
		this.calls.call("statuses of " + sha, () -> {
			// Newest first: the first status of a context is its current one.
			for (GHCommitStatus status : repo.listCommitStatuses(sha)) {
				checks.putIfAbsent(status.getContext(),
						new Check(status.getContext(), state(status.getState()), status.getTargetUrl()));
			}
			return checks;
		});
		List<String> wanted = requiredChecks.isEmpty() ? new ArrayList<>(checks.keySet()) : requiredChecks;
		for (String name : wanted) {
			Check check = checks.get(name);
			if (check != null && check.state() == State.RED) {
				return new CiResult.Red(name, check.url(), null);
			}
		}
		List<String> waiting = wanted.stream()
			.filter((name) -> !checks.containsKey(name) || checks.get(name).state() != State.GREEN)
			.toList();
		if (wanted.isEmpty() || !waiting.isEmpty()) {
			return new CiResult.Pending(wanted.isEmpty() ? "any check to report" : String.join(", ", waiting));
		}
		String url = checks.get(wanted.get(0)).url();
		return new CiResult.Green(List.copyOf(wanted), url);
	}

	private static State state(GHCheckRun run) {
		if (run.getStatus() != GHCheckRun.Status.COMPLETED) {
			return State.PENDING;
		}
		return PASSING.contains(run.getConclusion()) ? State.GREEN : State.RED;
	}

	private static State state(GHCommitState state) {
		return switch (state) {
			case SUCCESS -> State.GREEN;
			case FAILURE, ERROR -> State.RED;
			default -> State.PENDING;
		};
	}

	private enum State {

		GREEN, RED, PENDING

	}

	private record Check(String name, State state, String url) {
	}

}
