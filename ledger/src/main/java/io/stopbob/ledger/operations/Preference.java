package io.stopbob.ledger.operations;

import java.time.Instant;

/**
 * A person's setting; the newest one wins.
 *
 * @param directMessages whether they get a direct message when their deploy ends
 */
public record Preference(String eventId, String userId, boolean directMessages, Instant occurredAt) {
}
