package io.stopbob.tagger.tagging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names derived from the deploy itself, never from the clock at handling time, so
 * handling a request twice (a redelivery, a restart) arrives at the same tag and the same
 * events.
 */
public final class ReleaseNames {

	private static final DateTimeFormatter TAG_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private ReleaseNames() {
	}

	/** {@code <prefix><UTC yyyyMMdd-HHmmss of the request>-<short sha>}. */
	public static String tag(String prefix, Instant requestedAt, String sha) {
		return prefix + TAG_TIME.format(requestedAt) + "-" + sha.substring(0, Math.min(7, sha.length()));
	}

	/** The one event id of a deploy's single-shot event, e.g. its {@code TagCreated}. */
	public static String eventId(String deployId, String what) {
		return deployId + ":" + what;
	}

}
