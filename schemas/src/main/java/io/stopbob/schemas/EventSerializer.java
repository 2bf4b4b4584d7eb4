package io.stopbob.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for pipeline events, in Avro single-object encoding. */
public class EventSerializer implements Serializer<SpecificRecord> {

	@Override
	public byte[] serialize(String topic, SpecificRecord event) {
		return (event != null) ? EventCodec.standard().encode(event) : null;
	}

}
