package io.stopbob.schemas;

import java.util.Optional;

import io.stopbob.events.EventMeta;
import io.stopbob.events.UserPreference;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the events of the bus have in common, read without knowing their type. Every event
 * but {@link UserPreference} is about a target and carries {@link EventMeta}.
 */
public final class Events {

	private Events() {
	}

	public static EventMeta meta(SpecificRecord event) {
		Schema.Field field = event.getSchema().getField("meta");
		if (field == null) {
			throw new IllegalArgumentException(event.getSchema().getFullName() + " is not a pipeline event");
		}
		return (EventMeta) event.get(field.pos());
	}

	/** The meta of an event about a target; empty for a user preference. */
	public static Optional<EventMeta> metaOf(SpecificRecord event) {
		return (event.getSchema().getField("meta") != null) ? Optional.of(meta(event)) : Optional.empty();
	}

	/** The record key of the event: its target, or the user of a preference. */
	public static String key(SpecificRecord event) {
		return (event instanceof UserPreference preference) ? preference.getUserId() : target(event).toString();
	}

	/** The target of an event about one. */
	public static TargetKey target(SpecificRecord event) {
		EventMeta meta = meta(event);
		return new TargetKey(meta.getApp(), meta.getEnvironment());
	}

}
