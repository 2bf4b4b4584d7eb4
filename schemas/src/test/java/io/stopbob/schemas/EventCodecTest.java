package io.stopbob.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.stopbob.events.DeployKind;
import io.stopbob.events.TagCreated;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventCodecTest {

	private final EventCodec codec = EventCodec.standard();

	static Stream<SpecificRecord> everyEvent() {
		return Stream.of(EventMother.deployRequested("d-1").build(), EventMother.tagCreated("d-1").build(),
				EventMother.buildPassed("d-1").build(),
				EventMother.rolloutProgress("d-1")
					.setFailures(List.of(EventMother.failure("i-0abc", "ValidateService")))
					.build(),
				EventMother.deployFinished("d-1").build());
	}

	@ParameterizedTest
	@MethodSource("everyEvent")
	void everyEventComesBackExactlyAsWritten(SpecificRecord event) {
		byte[] bytes = this.codec.encode(event);

		assertThat(bytes[0]).isEqualTo((byte) 0xC3);
		assertThat(bytes[1]).isEqualTo((byte) 0x01);
		assertThat(this.codec.decode(bytes)).isEqualTo(event);
	}

	@Test
	void aTagCreatedWrittenWithTheFirstVersionIsReadWithTheNewFieldsDefault() throws Exception {
		Schema v1 = EventSchemas.released(TagCreated.class).get(0);
		GenericRecord meta = new GenericData.Record(v1.getField("meta").schema());
		meta.put("eventId", "e-1");
		meta.put("deployId", "d-7");
		meta.put("app", "demo");
		meta.put("environment", "production");
		meta.put("occurredAt", 1_764_169_620_000L);
		meta.put("producer", "release-tagger 0.0.9");
		GenericRecord old = new GenericData.Record(v1);
		old.put("meta", meta);
		old.put("sha", EventMother.SHA);
		old.put("tag", "production-20261126-150700-3f9c2a1");
		byte[] bytes = toArray(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old));

		TagCreated decoded = (TagCreated) this.codec.decode(bytes);

		assertThat(decoded.getTag()).isEqualTo("production-20261126-150700-3f9c2a1");
		assertThat(decoded.getMeta().getDeployId()).isEqualTo("d-7");
		assertThat(decoded.getMeta().getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_764_169_620_000L));
		assertThat(decoded.getPreviousTag()).isNull();
		assertThat(decoded.getKind()).isEqualTo(DeployKind.DEPLOY);
	}

	@Test
	void anUnknownSchemaFingerprintIsATypedError() {
		byte[] bytes = this.codec.encode(EventMother.buildPassed("d-1").build());
		ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x1234_5678_9abc_def0L);

		assertThatExceptionOfType(EventDecodingException.class).isThrownBy(() -> this.codec.decode(bytes))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(EventDecodingException.Reason.UNKNOWN_FINGERPRINT))
			.withMessageContaining("123456789abcdef0");
	}

	@Test
	void garbageBytesAreATypedError() {
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode("{\"sha\":\"rm -rf /\"}".getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(EventDecodingException.Reason.NOT_SINGLE_OBJECT));
		assertThatExceptionOfType(EventDecodingException.class).isThrownBy(() -> this.codec.decode(new byte[0]))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(EventDecodingException.Reason.NOT_SINGLE_OBJECT));
	}

	@Test
	void aTruncatedBodyIsATypedError() {
		byte[] bytes = this.codec.encode(EventMother.deployRequested("d-1").build());

		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Arrays.copyOf(bytes, bytes.length / 2)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(EventDecodingException.Reason.CORRUPT_BODY));
	}

	@Test
	void trailingBytesAfterARecordAreATypedError() {
		byte[] bytes = this.codec.encode(EventMother.deployRequested("d-1").build());

		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Arrays.copyOf(bytes, bytes.length + 3)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(EventDecodingException.Reason.CORRUPT_BODY));
	}

	@Test
	void theDeserializerRefusesAnEventOnAnotherEventsTopic() {
		byte[] bytes = new EventSerializer().serialize(Topics.TAG_CREATED, EventMother.tagCreated("d-1").build());

		assertThat(new EventDeserializer().deserialize(Topics.TAG_CREATED, bytes)).isInstanceOf(TagCreated.class);
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> new EventDeserializer().deserialize(Topics.DEPLOY_REQUESTED, bytes))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(EventDecodingException.Reason.WRONG_TOPIC));
	}

	private static byte[] toArray(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

}
