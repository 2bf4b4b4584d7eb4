package io.stopbob.changelog.changes;

import java.util.ArrayList;
import java.util.List;

import io.stopbob.changelog.changes.Change.PullRequest;
import io.stopbob.changelog.changes.Changelog.Release;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChangelogTest {

	private static final Release RELEASE = new Release("demo", "production", "production-20261126-150700-3f9c2a1",
			"https://github.com/stop-bob/demo/releases/tag/production-20261126-150700-3f9c2a1",
			"https://github.com/stop-bob/demo/compare/a...b", false, false);

	@Test
	void commitsAreGroupedByPullRequestAndPlainCommitsListedAfter() {
		PullRequest signup = new PullRequest(7, "Fix the signup form", "ann",
				"https://github.com/stop-bob/demo/pull/7");
		List<Change> changes = List.of(new Change("a".repeat(40), "Validate emails", "ann", signup),
				new Change("b".repeat(40), "Hotfix typo", "bob", null),
				new Change("c".repeat(40), "Merge pull request #7 from ann/signup", "ann", signup));

		Changelog changelog = Changelog.of(RELEASE, changes);

		assertThat(changelog.header()).isEqualTo(":package: *Release* demo → production: "
				+ "<https://github.com/stop-bob/demo/releases/tag/production-20261126-150700-3f9c2a1|production-20261126-150700-3f9c2a1>");
		assertThat(changelog.sections()).containsExactly(
				"• <https://github.com/stop-bob/demo/pull/7|#7> Fix the signup form — ann (2 commits)",
				"• `bbbbbbb` Hotfix typo — bob");
		assertThat(changelog.footer())
			.isEqualTo("3 commits by 2 people · <https://github.com/stop-bob/demo/compare/a...b|compare>");
	}

	@Test
	void commitTextCanNeitherPingTheChannelNorForgeALink() {
		Changelog changelog = Changelog.of(RELEASE, List
			.of(new Change("d".repeat(40), "<!channel> click <http://evil.example|here> & win", "mallory", null)));

		assertThat(changelog.sections())
			.containsExactly("• `ddddddd` &lt;!channel&gt; click &lt;http://evil.example|here&gt; &amp; win — mallory");
	}

	@Test
	void sixHundredCommitsStayWithinSlacksLimitsAndSayHowManyMore() {
		List<Change> changes = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			changes.add(new Change(String.format("%040d", i), "Commit number " + i + " " + "x".repeat(5_000),
					"dev" + (i % 7), (i % 2 == 0) ? new PullRequest(1000 + i, "Pull " + i, "dev",
							"https://github.com/stop-bob/demo/pull/" + i) : null));
		}

		Changelog changelog = Changelog.of(RELEASE, changes);

		assertThat(changelog.sections().size() + 3).isLessThanOrEqualTo(50);
		assertThat(changelog.sections())
			.allSatisfy((section) -> assertThat(section.length()).isLessThanOrEqualTo(3_000));
		assertThat(changelog.sections().get(changelog.sections().size() - 1))
			.isEqualTo("…and 554 more: <https://github.com/stop-bob/demo/compare/a...b|see them all>");
		assertThat(changelog.footer()).startsWith("600 commits by 7 people");
	}

	@Test
	void aTargetsFirstReleaseSaysSo() {
		Changelog changelog = Changelog.of(new Release("demo", "staging", "staging-1", null, null, false, true),
				List.of(new Change("e".repeat(40), "Start", "ann", null)));

		assertThat(changelog.header())
			.isEqualTo(":tada: *First release* of demo → staging: `staging-1`. The last 1 commit:");
	}

	@Test
	void aRollbackSaysSoAndListsWhatItTakesOut() {
		Changelog changelog = Changelog.of(new Release("demo", "production", "production-2", null, null, true, false),
				List.of(new Change("f".repeat(40), "An unhappy accident", "bob", null)));

		assertThat(changelog.header()).isEqualTo(
				":leftwards_arrow_with_hook: *Rollback* of demo → production: `production-2`. Taking out 1 commit:");
		assertThat(changelog.text()).startsWith("Rollback of demo to production");
	}

}
