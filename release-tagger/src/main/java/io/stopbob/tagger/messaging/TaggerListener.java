package io.stopbob.tagger.messaging;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.messaging.LedgerListener;
import io.stopbob.ledger.messaging.PartitionRestore;
import io.stopbob.schemas.Topics;
import io.stopbob.tagger.ci.CiGate;
import io.stopbob.tagger.tagging.TagRelease;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * The lock's home: every topic of the targets this instance owns, replayed into the
 * ledger on assignment before any new request is decided. New requests are tagged; after
 * a restart, deploys that were waiting for CI are watched again.
 */
@Component
class TaggerListener extends LedgerListener {

	private final TagRelease tagRelease;

	private final CiGate ciGate;

	TaggerListener(Ledger ledger, TagRelease tagRelease, CiGate ciGate) {
		super(ledger);
		this.tagRelease = tagRelease;
		this.ciGate = ciGate;
	}

	@KafkaListener(id = "release-tagger",
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record, Acknowledgment ack) {
		receive(record, ack);
	}

	@Override
	protected void onNew(PipelineEvent event, Deploy deploy) {
		if (event instanceof Requested requested) {
			this.tagRelease.requested(requested);
		}
	}

	@Override
	protected void onCaughtUp() {
		this.ledger.awaitingBuild().forEach(this.ciGate::watch);
	}

}
