package io.stopbob.slack;

/**
 * Text from outside (commit messages, branch names, reasons typed by people) made safe
 * for Slack mrkdwn: with {@code &}, {@code <} and {@code >} escaped it can neither ping
 * {@code <!channel>} nor forge a link.
 */
public final class SlackText {

	private SlackText() {
	}

	public static String escape(String text) {
		if (text == null) {
			return "";
		}
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	/** A link whose label is escaped; the URL is ours. */
	public static String link(String url, String label) {
		return "<" + url + "|" + escape(label).replace("|", "\u2758") + ">";
	}

}
