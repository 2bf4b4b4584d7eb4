package io.stopbob.platform.bus;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.util.backoff.FixedBackOff;

/**
 * A {@link RestoringListener}'s error handler: a live record that fails on the consumer
 * thread is retried, then dead-lettered ({@link DeadLetters#errorHandler}); a replayed
 * one was dealt with when it was live (dead-lettered then, or handled), so it is skipped
 * without a second dead letter.
 */
final class RestoreErrorHandler implements CommonErrorHandler {

	private static final Logger log = LoggerFactory.getLogger(RestoreErrorHandler.class);

	private final PartitionRestore restore;

	private final DefaultErrorHandler live;

	private final DefaultErrorHandler history = new DefaultErrorHandler(
			(record, failure) -> log.debug("history record {}-{}@{} skipped: {}", record.topic(), record.partition(),
					record.offset(), failure.getMessage()),
			new FixedBackOff(0, 0));

	RestoreErrorHandler(PartitionRestore restore, DefaultErrorHandler live) {
		this.restore = restore;
		this.live = live;
	}

	private DefaultErrorHandler handlerOf(ConsumerRecord<?, ?> record) {
		return (this.restore.classify(record) == PartitionRestore.Mode.REPLAY) ? this.history : this.live;
	}

	@Override
	public boolean seeksAfterHandling() {
		return true;
	}

	@Override
	public boolean handleOne(Exception thrownException, ConsumerRecord<?, ?> record, Consumer<?, ?> consumer,
			MessageListenerContainer container) {
		return handlerOf(record).handleOne(thrownException, record, consumer, container);
	}

	@Override
	public void handleRemaining(Exception thrownException, List<ConsumerRecord<?, ?>> records, Consumer<?, ?> consumer,
			MessageListenerContainer container) {
		handlerOf(records.get(0)).handleRemaining(thrownException, records, consumer, container);
	}

	@Override
	public void handleOtherException(Exception thrownException, Consumer<?, ?> consumer,
			MessageListenerContainer container, boolean batchListener) {
		this.live.handleOtherException(thrownException, consumer, container, batchListener);
	}

	@Override
	public int deliveryAttempt(TopicPartitionOffset topicPartitionOffset) {
		return this.live.deliveryAttempt(topicPartitionOffset);
	}

	@Override
	public void clearThreadState() {
		this.live.clearThreadState();
		this.history.clearThreadState();
	}

	@Override
	public boolean isAckAfterHandle() {
		// Commits are the restore's: they follow the work done, not the records read.
		return false;
	}

	@Override
	public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
			Runnable publishPause) {
		this.live.onPartitionsAssigned(consumer, partitions, publishPause);
	}

}
