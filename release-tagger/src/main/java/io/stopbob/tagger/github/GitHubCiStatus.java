package io.stopbob.tagger.github;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stopbob.github.GitHubClients;
import io.stopbob.platform.catalog.Environment;
import io.stopbob.tagger.ci.CiStatus;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCommitState;
import org.kohsuke.github.GHCommitStatus;
import org.kohsuke.github.GHRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CI as GitHub reports it for the tag's build: check runs (Actions, most CI apps) of the
 * check suites that ran for the tag (their head branch is the tag's name), and commit
 * statuses (CircleCI and older integrations) created after the tag was pushed; the newest
 * of each name counting. A branch's build of the same commit, finished before the tag
 * existed, did not build the tag's artifact and does not count.
 */
class GitHubCiStatus implements CiStatus {

	private static final Set<GHCheckRun.Conclusion> PASSING = Set.of(GHCheckRun.Conclusion.SUCCESS,
			GHCheckRun.Conclusion.NEUTRAL, GHCheckRun.Conclusion.SKIPPED);

	/** GitHub's clock and ours may differ a little; a CI reports long after a push. */
	private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

	private final GitHubClients.Connection github;

	private final TaggerCalls calls;

	private final JsonMapper json = JsonMapper.builder().build();

	GitHubCiStatus(GitHubClients.Connection github, TaggerCalls calls) {
		this.github = github;
		this.calls = calls;
	}

	@Override
	public String provider() {
		return "github-checks";
	}

	@Override
	public CiResult status(String repository, String tag, String sha, Instant taggedAt, Environment.Ci ci) {
		List<String> requiredChecks = ci.requiredChecks();
		GHRepository repo = this.calls.call("repository " + repository,
				() -> this.github.api().getRepository(repository));
		Set<Long> tagSuites = this.calls.call("check suites of " + tag, () -> tagSuites(repository, tag));
		Map<String, Check> checks = new LinkedHashMap<>();
		this.calls.call("check runs of " + sha, () -> {
			// Every run, not only each name's latest: a branch's newer run must not hide
			// the
			// tag's. Of the tag's runs of a name, the newest (a re-run) counts.
			Map<String, Long> newest = new HashMap<>();
			for (GHCheckRun run : repo.getCheckRuns(sha, Map.of("filter", "all"))) {
				if (run.getCheckSuite() != null && tagSuites.contains(run.getCheckSuite().getId())
						&& run.getId() >= newest.getOrDefault(run.getName(), Long.MIN_VALUE)) {
					newest.put(run.getName(), run.getId());
					checks.put(run.getName(), new Check(run.getName(), state(run),
							(run.getHtmlUrl() != null) ? run.getHtmlUrl().toString() : null));
				}
			}
			return checks;
		});
		Instant pushed = taggedAt.minus(CLOCK_SKEW);
		this.calls.call("statuses of " + sha, () -> {
			// Newest first: the first status of a context is its current one.
			for (GHCommitStatus status : repo.listCommitStatuses(sha)) {
				if (status.getCreatedAt() != null && !status.getCreatedAt().toInstant().isBefore(pushed)) {
					checks.putIfAbsent(status.getContext(),
							new Check(status.getContext(), state(status.getState()), status.getTargetUrl()));
				}
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
			return new CiResult.Pending(
					wanted.isEmpty() ? "any check of the build of " + tag + " to report" : String.join(", ", waiting));
		}
		String url = checks.get(wanted.get(0)).url();
		return new CiResult.Green(List.copyOf(wanted), url);
	}

	/** The check suites GitHub ran for the tag itself (head branch = the tag's name). */
	private Set<Long> tagSuites(String repository, String tag) throws java.io.IOException {
		String body = this.github.get("/repos/" + repository + "/commits/tags/"
				+ URLEncoder.encode(tag, StandardCharsets.UTF_8) + "/check-suites?per_page=100");
		Set<Long> suites = new HashSet<>();
		for (JsonNode suite : this.json.readTree(body).path("check_suites")) {
			if (tag.equals(suite.path("head_branch").asString(null))) {
				suites.add(suite.path("id").asLong());
			}
		}
		return suites;
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
