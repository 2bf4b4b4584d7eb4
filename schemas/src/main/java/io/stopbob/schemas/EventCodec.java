package io.stopbob.schemas;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of pipeline events without a registry: the 10-byte header
 * carries the writer schema's fingerprint, and every released version of every event is
 * known here, so a reader decodes records written by any earlier (or later, released)
 * producer.
 */
public final class EventCodec {

	private static final byte MARKER_0 = (byte) 0xC3;

	private static final byte MARKER_1 = (byte) 0x01;

	private static final int HEADER_LENGTH = 10;

	private static final EventCodec STANDARD = new EventCodec(EventSchemas.EVENT_TYPES.stream()
		.collect(HashMap::new, (map, type) -> map.put(type, EventSchemas.released(type)), Map::putAll));

	private final Map<Long, SpecificDatumReader<SpecificRecord>> readers = new HashMap<>();

	private final Map<Schema, BinaryMessageEncoder<SpecificRecord>> encoders = new ConcurrentHashMap<>();

	/**
	 * @param releasedVersions for each event type, the writer schemas it may be read from
	 */
	EventCodec(Map<Class<? extends SpecificRecord>, java.util.List<Schema>> releasedVersions) {
		releasedVersions.forEach((type, versions) -> {
			Schema current = EventSchemas.current(type);
			for (Schema writer : versions) {
				this.readers.put(SchemaNormalization.parsingFingerprint64(writer),
						new SpecificDatumReader<>(writer, current, SpecificData.getForSchema(current)));
			}
		});
	}

	/** The codec that knows every released version of every pipeline event. */
	public static EventCodec standard() {
		return STANDARD;
	}

	public byte[] encode(SpecificRecord event) {
		BinaryMessageEncoder<SpecificRecord> encoder = this.encoders.computeIfAbsent(event.getSchema(),
				(schema) -> new BinaryMessageEncoder<>(SpecificData.getForSchema(schema), schema));
		try {
			ByteBuffer buffer = encoder.encode(event);
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("cannot encode " + event.getSchema().getFullName(), ex);
		}
	}

	public SpecificRecord decode(byte[] bytes) {
		if (bytes == null || bytes.length < HEADER_LENGTH || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
			throw new EventDecodingException(EventDecodingException.Reason.NOT_SINGLE_OBJECT,
					"expected Avro single-object encoding (0xC3 0x01 + fingerprint), got "
							+ (bytes == null ? "null" : bytes.length + " bytes"),
					null);
		}
		long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
		SpecificDatumReader<SpecificRecord> reader = this.readers.get(fingerprint);
		if (reader == null) {
			throw new EventDecodingException(EventDecodingException.Reason.UNKNOWN_FINGERPRINT,
					String.format("schema fingerprint %016x is not a released version of any event", fingerprint),
					null);
		}
		try {
			BinaryDecoder decoder = DecoderFactory.get()
				.binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
			SpecificRecord event = reader.read(null, decoder);
			if (!decoder.isEnd()) {
				throw new IllegalStateException("trailing bytes after the record");
			}
			return event;
		}
		catch (java.io.IOException | RuntimeException ex) {
			throw new EventDecodingException(EventDecodingException.Reason.CORRUPT_BODY,
					"cannot decode " + reader.getSchema().getFullName() + ": " + ex.getMessage(), ex);
		}
	}

}
