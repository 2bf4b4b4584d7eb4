package io.stopbob.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployRequested;
import io.stopbob.events.RolloutProgress;
import io.stopbob.events.TagCreated;
import io.stopbob.events.TargetOperation;
import io.stopbob.events.UserPreference;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Every released version of every event schema. A version is released by adding
 * {@code avro-history/<Event>.v<N>.avsc} (self-contained, as
 * {@code Schema#toString(true)} prints it); the current schema must always equal the
 * newest released version, which a test checks.
 */
public final class EventSchemas {

	/** The event types of the bus: the pipeline's in pipeline order, then the others. */
	public static final List<Class<? extends SpecificRecord>> EVENT_TYPES = List.of(DeployRequested.class,
			TagCreated.class, BuildPassed.class, RolloutProgress.class, DeployFinished.class, TargetOperation.class,
			UserPreference.class);

	static {
		// Avro 1.12 instantiates only classes it trusts; ours are the generated events.
		ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
				(type) -> type.getPackageName().equals("io.stopbob.events")));
	}

	private EventSchemas() {
	}

	public static Schema current(Class<? extends SpecificRecord> eventType) {
		return SpecificData.get().getSchema(eventType);
	}

	/** Released versions of one event, oldest first. */
	public static List<Schema> released(Class<? extends SpecificRecord> eventType) {
		List<Schema> versions = new ArrayList<>();
		for (int version = 1;; version++) {
			String resource = "/avro-history/" + eventType.getSimpleName() + ".v" + version + ".avsc";
			try (InputStream in = EventSchemas.class.getResourceAsStream(resource)) {
				if (in == null) {
					return List.copyOf(versions);
				}
				versions.add(new Schema.Parser().parse(in));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read " + resource, ex);
			}
		}
	}

}
