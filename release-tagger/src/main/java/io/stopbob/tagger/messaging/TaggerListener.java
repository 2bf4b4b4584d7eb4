package io.stopbob.tagger.messaging;

import io.stopbob.events.DeployRequested;
import io.stopbob.events.TagCreated;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.messaging.LedgerListener;
import io.stopbob.ledger.operations.Board;
import io.stopbob.platform.bus.BusListeners;
import io.stopbob.platform.bus.PartitionRestore;
import io.stopbob.platform.bus.RestoringListener;
import io.stopbob.schemas.Topics;
import io.stopbob.tagger.ci.CiGate;
import io.stopbob.tagger.tagging.TagRelease;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The lock's home: every topic of the targets this instance owns, replayed into the
 * ledger and the board (locks, approvals) on assignment before any request is decided.
 * New requests are tagged. Once caught up, it picks up from the ledger what a restart or
 * an outage left: requests not tagged yet (also those the log handed over as history,
 * when the group's committed position was lost; refused if asked for too long ago) and
 * tags whose CI is still awaited.
 */
@Component
class TaggerListener extends LedgerListener {

	private final TagRelease tagRelease;

	private final CiGate ciGate;

	/** The board holds locks and approvals: a request is decided against them. */
	TaggerListener(Ledger ledger, Board board, BusListeners bus, TagRelease tagRelease, CiGate ciGate) {
		super(ledger, board, bus);
		this.tagRelease = tagRelease;
		this.ciGate = ciGate;
	}

	@KafkaListener(id = "release-tagger", containerPostProcessor = RestoringListener.ITSELF,
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED, Topics.TARGET_OPERATIONS },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record) {
		receive(record);
	}

	@Override
	protected boolean actsOn(SpecificRecord event) {
		return event instanceof DeployRequested || event instanceof TagCreated;
	}

	/**
	 * Requests are tagged. A tag is this service's own; one whose request of that SHA is
	 * not on the log was written by someone else: its CI is never watched, and it goes to
	 * the DLT with the missing link.
	 */
	@Override
	protected void onEvent(PipelineEvent event, Deploy deploy, boolean uncertain) {
		if (event instanceof Requested requested) {
			this.tagRelease.requested(requested);
		}
		else if (event instanceof Tagged) {
			requireChain(deploy, event);
		}
	}

	@Override
	protected void onCaughtUp() {
		for (Deploy deploy : this.ledger.awaitingTag()) {
			deploy.request().ifPresent((request) -> resume(deploy, "its tag", () -> this.tagRelease.resume(request)));
		}
		for (Deploy deploy : this.ledger.awaitingBuild()) {
			resume(deploy, "its CI", () -> this.ciGate.watch(deploy));
		}
	}

}
