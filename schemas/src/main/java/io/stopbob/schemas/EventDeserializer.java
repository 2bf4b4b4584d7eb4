package io.stopbob.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for pipeline events. Besides undecodable bytes it refuses a valid
 * event on a topic that carries another type, so a misrouted record goes to the dead
 * letters, not into a listener that would misread it.
 */
public class EventDeserializer implements Deserializer<SpecificRecord> {

	@Override
	public SpecificRecord deserialize(String topic, byte[] data) {
		if (data == null) {
			return null;
		}
		SpecificRecord event = EventCodec.standard().decode(data);
		Topics.eventType(topic).ifPresent((expected) -> {
			if (!expected.isInstance(event)) {
				throw new EventDecodingException(EventDecodingException.Reason.WRONG_TOPIC,
						event.getSchema().getName() + " does not belong on topic " + topic, null);
			}
		});
		return event;
	}

}
