package io.stopbob.ingress.deploy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Board;

/**
 * How StoP Bob words the things it reports everywhere: short SHAs, times, durations,
 * locks. Plain words; the caller escapes for Slack where a person typed them.
 */
public final class Describe {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private Describe() {
	}

	public static String sha(String sha) {
		return (sha == null) ? "?" : sha.substring(0, Math.min(7, sha.length()));
	}

	public static String time(Instant instant) {
		return (instant != null) ? TIME.format(instant) : "?";
	}

	public static String duration(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + "m " + (seconds % 60) + "s";
		}
		return (seconds / 3600) + "h " + (seconds % 3600 / 60) + "m";
	}

	public static String lock(Target target, Board.Lock lock, Instant now) {
		return target + " is locked by " + lock.by().name() + " since " + time(lock.since()) + " ("
				+ duration(Duration.between(lock.since(), now)) + " ago): " + lock.reason()
				+ ((lock.until() != null) ? " (until " + time(lock.until()) + ")" : "") + ".";
	}

}
