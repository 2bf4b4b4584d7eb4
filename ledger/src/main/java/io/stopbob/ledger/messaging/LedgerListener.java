package io.stopbob.ledger.messaging;

import java.util.Collection;
import java.util.Map;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;

/**
 * A service's listener on the pipeline topics that keeps its ledger: every record is
 * applied, replays restore state only, and the service acts on each event that is new to
 * it, after its partitions are replayed. {@link #onCaughtUp} is where it resumes work cut
 * short by a restart.
 */
public abstract class LedgerListener implements ConsumerSeekAware {

	protected final Ledger ledger;

	private final PartitionRestore restore = new PartitionRestore();

	private boolean resumed;

	protected LedgerListener(Ledger ledger) {
		this.ledger = ledger;
	}

	/**
	 * Call from the {@code @KafkaListener} method (manual acks, see
	 * {@link PartitionRestore}).
	 */
	protected void receive(ConsumerRecord<String, SpecificRecord> record, Acknowledgment ack) {
		this.restore.accept(record, ack, (accepted, mode) -> {
			PipelineEvent event = EventMapping.toDomain(accepted.value());
			Ledger.Applied applied = this.ledger.apply(event);
			if (mode != PartitionRestore.Mode.REPLAY && applied.fresh()) {
				onNew(event, applied.deploy());
			}
		});
		if (!this.resumed && this.restore.caughtUp()) {
			this.resumed = true;
			onCaughtUp();
		}
	}

	/** An event this service has not seen before, with its deploy as it stands now. */
	protected abstract void onNew(PipelineEvent event, Deploy deploy);

	/** The assigned partitions are replayed: pick up what a restart interrupted. */
	protected void onCaughtUp() {
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
