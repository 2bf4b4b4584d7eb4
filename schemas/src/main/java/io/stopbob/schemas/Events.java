package io.stopbob.schemas;

import io.stopbob.events.EventMeta;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** What all pipeline events have in common, read without knowing their type. */
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

	/** The record key of the event: its target. */
	public static TargetKey target(SpecificRecord event) {
		EventMeta meta = meta(event);
		return new TargetKey(meta.getApp(), meta.getEnvironment());
	}

}
