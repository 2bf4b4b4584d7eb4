package io.stopbob.tagger.messaging;

import java.util.Collection;
import java.util.Map;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.ledger.messaging.PartitionRestore;
import io.stopbob.schemas.Topics;
import io.stopbob.tagger.ci.CiGate;
import io.stopbob.tagger.tagging.TagRelease;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * The lock's home: every topic of the targets this instance owns, replayed into the
 * ledger on assignment before any new request is decided. New requests are tagged; after
 * a restart, deploys that were waiting for CI are watched again.
 */
@Component
class TaggerListener implements ConsumerSeekAware {

	private final Ledger ledger;

	private final TagRelease tagRelease;

	private final CiGate ciGate;

	private final PartitionRestore restore = new PartitionRestore();

	private boolean resumed;

	TaggerListener(Ledger ledger, TagRelease tagRelease, CiGate ciGate) {
		this.ledger = ledger;
		this.tagRelease = tagRelease;
		this.ciGate = ciGate;
	}

	@KafkaListener(id = "release-tagger",
			topics = { Topics.DEPLOY_REQUESTED, Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.ROLLOUT_PROGRESS,
					Topics.DEPLOY_FINISHED },
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record, Acknowledgment ack) {
		this.restore.accept(record, ack, (accepted, mode) -> {
			PipelineEvent event = EventMapping.toDomain(accepted.value());
			boolean fresh = this.ledger.apply(event).fresh();
			if (mode != PartitionRestore.Mode.REPLAY && fresh && event instanceof Requested requested) {
				this.tagRelease.requested(requested);
			}
		});
		if (!this.resumed && this.restore.caughtUp()) {
			this.resumed = true;
			this.ledger.awaitingBuild().forEach(this.ciGate::watch);
		}
	}

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		this.resumed = false;
		this.restore.onPartitionsAssigned(assignments, callback);
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		this.restore.onPartitionsRevoked(partitions);
	}

}
