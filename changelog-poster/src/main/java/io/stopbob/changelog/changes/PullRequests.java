package io.stopbob.changelog.changes;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the pull request of a commit from its message, as GitHub writes them: a squash
 * merge ends its title with {@code (#123)}, a merge commit starts with
 * {@code Merge pull request #123 from}.
 */
public final class PullRequests {

	private static final Pattern SQUASH = Pattern.compile("\\(#(\\d+)\\)\\s*$");

	private static final Pattern MERGE = Pattern.compile("^Merge pull request #(\\d+) from \\S+");

	private PullRequests() {
	}

	public static OptionalInt number(String title) {
		Matcher merge = MERGE.matcher(title);
		if (merge.find()) {
			return OptionalInt.of(Integer.parseInt(merge.group(1)));
		}
		Matcher squash = SQUASH.matcher(title);
		return squash.find() ? OptionalInt.of(Integer.parseInt(squash.group(1))) : OptionalInt.empty();
	}

	/** True for GitHub's merge commits, whose title names the branch, not the change. */
	public static boolean isMergeCommit(String title) {
		return MERGE.matcher(title).find();
	}

	/** A squash title without its {@code (#123)}. */
	public static String withoutNumber(String title) {
		return SQUASH.matcher(title).replaceFirst("").strip();
	}

}
