package io.stopbob.ingress.messaging;

import io.stopbob.events.TargetOperation;
import io.stopbob.events.UserPreference;
import io.stopbob.ingress.operations.Locks;
import io.stopbob.ingress.thread.ThreadReporter;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.ledger.messaging.OperationMapping;
import io.stopbob.ledger.operations.Board;
import io.stopbob.platform.bus.BusListeners;
import io.stopbob.platform.bus.PartitionRestore;
import io.stopbob.platform.bus.PartitionRestore.Mode;
import io.stopbob.platform.bus.RestoringListener;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every topic into the deploy threads, the ledger and the board. On assignment the
 * partitions are read again from the beginning, so the threads' state, locks, queues and
 * approvals survive restarts; state is applied as records come, so status answers are
 * current even while Slack is away, and each pipeline event's thread messages follow in
 * its target's lane. A rollback that ends badly locks its target.
 */
@Component
class PipelineListener extends RestoringListener {

	private final ThreadReporter reporter;

	private final Board board;

	private final Ledger ledger;

	private final Locks locks;

	PipelineListener(BusListeners bus, ThreadReporter reporter, Board board, Ledger ledger, Locks locks) {
		super(bus);
		this.reporter = reporter;
		this.board = board;
		this.ledger = ledger;
		this.locks = locks;
	}

	@KafkaListener(id = "slack-ingress-threads", containerPostProcessor = RestoringListener.ITSELF,
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED, Topics.TARGET_OPERATIONS, Topics.USER_PREFERENCES },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record) {
		receive(record);
	}

	@Override
	protected void apply(SpecificRecord event, Mode mode) {
		if (event instanceof TargetOperation operation) {
			this.board.apply(OperationMapping.toDomain(operation));
		}
		else if (event instanceof UserPreference preference) {
			this.board.apply(OperationMapping.toDomain(preference));
		}
		else {
			this.reporter.apply(EventMapping.toDomain(event), mode == Mode.REPLAY);
		}
	}

	@Override
	protected boolean actsOn(SpecificRecord event) {
		return !(event instanceof TargetOperation || event instanceof UserPreference);
	}

	@Override
	protected void act(SpecificRecord event, boolean uncertain) {
		PipelineEvent domain = EventMapping.toDomain(event);
		this.reporter.tell(domain, uncertain);
		if (domain instanceof PipelineEvent.Finished) {
			this.ledger.find(domain.deployId()).ifPresent((deploy) -> this.locks.afterFinish(deploy, uncertain));
		}
	}

}
