package io.stopbob.changelog.changes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stopbob.slack.SlackText;

/**
 * A release's changelog as Slack will show it: a header, one section per pull request
 * (title, author, link), the commits that belong to no pull request, and a footer.
 * Everything from commits is escaped, and the message stays within Slack's limits (50
 * blocks, 3,000 characters a section): what does not fit is counted in "…and N more" with
 * the compare link.
 *
 * @param header the first line: app, environment, tag and release link (mrkdwn)
 * @param sections one mrkdwn text per block, in order
 * @param footer "N commits by M people" and the compare link
 * @param text the plain fallback for notifications
 */
public record Changelog(String header, List<String> sections, String footer, String text) {

	/**
	 * Blocks Slack allows in a message, ours included: header, footer, a divider, "more".
	 */
	static final int MAX_SECTIONS = 50 - 4;

	static final int MAX_SECTION_CHARS = 3_000;

	/** What a release is about: where it goes and where it comes from. */
	public record Release(String app, String environment, String tag, String releaseUrl, String compareUrl,
			boolean rollback, boolean firstRelease) {
	}

	public static Changelog of(Release release, List<Change> changes) {
		String header = header(release, changes.size());
		List<String> entries = entries(changes);
		List<String> sections = new ArrayList<>();
		int shown = 0;
		for (String entry : entries) {
			if (sections.size() == MAX_SECTIONS) {
				break;
			}
			sections
				.add((entry.length() > MAX_SECTION_CHARS) ? entry.substring(0, MAX_SECTION_CHARS - 1) + "…" : entry);
			shown++;
		}
		if (shown < entries.size()) {
			sections.add("…and " + (entries.size() - shown) + " more" + ((release.compareUrl() != null)
					? ": " + SlackText.link(release.compareUrl(), "see them all") : ""));
		}
		Set<String> people = new LinkedHashSet<>();
		changes.forEach((change) -> people.add(change.author()));
		String footer = commits(changes.size()) + " by " + people.size() + " "
				+ ((people.size() == 1) ? "person" : "people")
				+ ((release.compareUrl() != null) ? " · " + SlackText.link(release.compareUrl(), "compare") : "");
		return new Changelog(header, List.copyOf(sections), footer, plain(release, changes.size()));
	}

	private static String header(Release release, int commits) {
		String what = SlackText.escape(release.app()) + " → " + SlackText.escape(release.environment()) + ": "
				+ ((release.releaseUrl() != null) ? SlackText.link(release.releaseUrl(), release.tag())
						: "`" + SlackText.escape(release.tag()) + "`");
		if (release.rollback()) {
			return ":leftwards_arrow_with_hook: *Rollback* of " + what + ". Taking out " + commits(commits) + ":";
		}
		if (release.firstRelease()) {
			return ":tada: *First release* of " + what + ". The last " + commits(commits) + ":";
		}
		return ":package: *Release* " + what;
	}

	private static String plain(Release release, int commits) {
		return (release.rollback() ? "Rollback of " : "Release ") + release.app() + " to " + release.environment()
				+ " (" + release.tag() + "): " + commits(commits);
	}

	private static String commits(int count) {
		return count + " commit" + ((count == 1) ? "" : "s");
	}

	/** One entry per pull request, in the order they went in, then the plain commits. */
	private static List<String> entries(List<Change> changes) {
		Map<Integer, Change.PullRequest> pulls = new LinkedHashMap<>();
		Map<Integer, Integer> commitsPerPull = new LinkedHashMap<>();
		List<Change> plain = new ArrayList<>();
		for (Change change : changes) {
			if (change.pullRequest() != null) {
				pulls.putIfAbsent(change.pullRequest().number(), change.pullRequest());
				commitsPerPull.merge(change.pullRequest().number(), 1, Integer::sum);
			}
			else {
				plain.add(change);
			}
		}
		List<String> entries = new ArrayList<>();
		pulls.values().forEach((pull) -> {
			String title = SlackText.escape(pull.title());
			entries.add("• "
					+ ((pull.url() != null) ? SlackText.link(pull.url(), "#" + pull.number()) : "#" + pull.number())
					+ " " + title + " — " + SlackText.escape(pull.author()) + ((commitsPerPull.get(pull.number()) > 1)
							? " (" + commitsPerPull.get(pull.number()) + " commits)" : ""));
		});
		plain.forEach((change) -> entries.add("• `" + change.sha().substring(0, 7) + "` "
				+ SlackText.escape(change.title()) + " — " + SlackText.escape(change.author())));
		return entries;
	}

}
