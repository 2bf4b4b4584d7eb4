package io.stopbob.schemas;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule of the bus: any released reader reads any released writer. A change to a
 * schema lands only with a new history file, and only if it keeps both directions.
 */
class SchemaHistoryTest {

	static final List<Class<? extends SpecificRecord>> eventTypes = EventSchemas.EVENT_TYPES;

	@ParameterizedTest
	@FieldSource("eventTypes")
	void theCurrentSchemaIsItsNewestReleasedVersion(Class<? extends SpecificRecord> type) {
		List<Schema> released = EventSchemas.released(type);

		assertThat(released).as("released versions of %s", type.getSimpleName()).isNotEmpty();
		assertThat(SchemaNormalization.parsingFingerprint64(released.get(released.size() - 1)))
			.as("%s changed without a new avro-history version", type.getSimpleName())
			.isEqualTo(SchemaNormalization.parsingFingerprint64(EventSchemas.current(type)));
	}

	@ParameterizedTest
	@FieldSource("eventTypes")
	void everyReleasedVersionReadsEveryOtherBackwardAndForward(Class<? extends SpecificRecord> type) {
		List<Schema> released = EventSchemas.released(type);
		for (Schema reader : released) {
			for (Schema writer : released) {
				assertThat(compatibility(reader, writer))
					.as("%s: a reader of one version reads a writer of another", type.getSimpleName())
					.isEqualTo(SchemaCompatibilityType.COMPATIBLE);
			}
		}
	}

	@Test
	void tagCreatedGainedOptionalFieldsInItsSecondAndThirdVersions() {
		List<Schema> released = EventSchemas.released(io.stopbob.events.TagCreated.class);

		assertThat(released).hasSize(3);
		assertThat(released.get(0).getField("kind")).isNull();
		assertThat(released.get(1).getField("kind").hasDefaultValue()).isTrue();
		assertThat(released.get(2).getField("commitTime").hasDefaultValue()).isTrue();
	}

	@Test
	void theCheckRejectsANewFieldWithoutDefault() {
		Schema current = EventSchemas.current(io.stopbob.events.BuildPassed.class);
		Schema broken = new Schema.Parser().parse(current.toString()
			.replace("\"fields\":[", "\"fields\":[{\"name\":\"mandatory\",\"type\":\"string\"},"));

		assertThat(compatibility(broken, current)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
	}

	private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
		return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
	}

}
