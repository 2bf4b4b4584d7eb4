package io.stopbob.ingress.messaging;

import java.time.Instant;
import java.util.function.Consumer;

import io.stopbob.ingress.operations.PipelineLog;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.platform.bus.LogRange;
import io.stopbob.schemas.Topics;

/** The pipeline topics, read from a point in time with {@link LogRange}. */
public class KafkaPipelineLog implements PipelineLog {

	private final LogRange range;

	public KafkaPipelineLog(LogRange range) {
		this.range = range;
	}

	@Override
	public void read(Target target, Instant from, Consumer<PipelineEvent> each) {
		try {
			this.range.read(Topics.pipeline(), (target != null) ? target.toString() : null, from,
					(record) -> each.accept(EventMapping.toDomain(record.value())));
		}
		catch (LogRange.LogRangeException ex) {
			throw new Unreadable(ex.getMessage(), ex);
		}
	}

}
