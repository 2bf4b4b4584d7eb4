package io.stopbob.ingress.messaging;

import io.stopbob.events.TargetOperation;
import io.stopbob.events.UserPreference;
import io.stopbob.ingress.operations.Locks;
import io.stopbob.ingress.thread.ThreadReporter;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.ledger.messaging.LedgerState;
import io.stopbob.ledger.messaging.OperationMapping;
import io.stopbob.ledger.operations.Board;
import io.stopbob.platform.bus.BusListeners;
import io.stopbob.platform.bus.LogReader;
import io.stopbob.platform.bus.PartitionRestore;
import io.stopbob.platform.bus.PartitionRestore.Mode;
import io.stopbob.platform.bus.RestoringListener;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every topic into the ledger and the board, from every partition ({@link LogReader}): so
 * each instance answers status, history, the dashboard and the lock, queue and approval
 * checks for every target, and the state survives restarts. The thread messages of each
 * pipeline event are this instance's work only for the targets the group gave it, in the
 * target's lane. A rollback that ends badly locks its target.
 */
@Component
class PipelineListener extends RestoringListener {

	private final ThreadReporter reporter;

	private final Board board;

	private final Ledger ledger;

	private final Locks locks;

	PipelineListener(BusListeners bus, ThreadReporter reporter, Board board, Ledger ledger, Locks locks) {
		// A restored deploy's thread is looked for in Slack before anything is posted to
		// it, as one this instance did not tell.
		super(bus, "slack-ingress", Topics.all(), new LedgerState(ledger, board));
		this.reporter = reporter;
		this.board = board;
		this.ledger = ledger;
		this.locks = locks;
	}

	@KafkaListener(id = "slack-ingress-threads", containerPostProcessor = RestoringListener.ITSELF,
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED },
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
			PipelineEvent domain = EventMapping.toDomain(event);
			// A deploy first seen in a record written while this instance owned its
			// target was never told by another: its thread is this one's from the start.
			this.reporter.apply(domain, mode == Mode.REPLAY, writtenWhileOwned(domain.meta().target().toString()));
		}
	}

	/** Threads told by another instance are looked for before anything is posted. */
	@Override
	protected void onGivenUp() {
		this.reporter.forgetWhatWasTold();
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
