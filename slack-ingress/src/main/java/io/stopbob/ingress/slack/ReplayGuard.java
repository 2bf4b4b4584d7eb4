package io.stopbob.ingress.slack;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the signatures of accepted requests for as long as their timestamp is valid,
 * so a captured request replayed within Slack's five-minute window is refused. Slack
 * signs each delivery (retries included) anew, so a repeated signature is never Slack's.
 */
class ReplayGuard {

	/** Slack's window plus a margin for clocks. */
	private static final Duration REMEMBER = Duration.ofMinutes(6);

	private static final int MAX_REMEMBERED = 200_000;

	private final Clock clock;

	private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

	ReplayGuard(Clock clock) {
		this.clock = clock;
	}

	/** True the first time a signature is offered; false for a replay. */
	synchronized boolean firstTime(String signature) {
		long now = this.clock.millis();
		Iterator<Map.Entry<String, Long>> oldest = this.seen.entrySet().iterator();
		while (oldest.hasNext()) {
			Map.Entry<String, Long> entry = oldest.next();
			if (entry.getValue() > now - REMEMBER.toMillis() && this.seen.size() < MAX_REMEMBERED) {
				break;
			}
			oldest.remove();
		}
		return this.seen.putIfAbsent(signature, now) == null;
	}

}
