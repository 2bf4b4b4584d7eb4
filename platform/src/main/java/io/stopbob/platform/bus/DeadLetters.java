package io.stopbob.platform.bus;

import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Where records go that cannot be handled: {@code <topic>.DLT}, same partition, with the
 * failure in the headers ({@link BusAutoConfiguration#REASON_HEADER}), so nothing is
 * dropped and {@code bin/stop dlt} can show and retry them.
 */
public final class DeadLetters {

	private final DeadLetterPublishingRecoverer recoverer;

	private final BusProperties.Retry retry;

	DeadLetters(DeadLetterPublishingRecoverer recoverer, BusProperties.Retry retry) {
		this.recoverer = recoverer;
		this.retry = retry;
	}

	/**
	 * A container's error handler: a record that fails on the consumer thread is retried
	 * a bounded number of times, then dead-lettered, and {@code afterwards} hears of it.
	 * Undecodable records and unknown apps skip the retries: their bytes will not change.
	 */
	public DefaultErrorHandler errorHandler(Consumer<ConsumerRecord<?, ?>> afterwards) {
		ExponentialBackOff backOff = new ExponentialBackOff(this.retry.backoff().toMillis(), 2.0);
		backOff.setMaxAttempts(Math.max(0, this.retry.attempts() - 1));
		DefaultErrorHandler handler = new DefaultErrorHandler((record, failure) -> {
			this.recoverer.accept(record, failure);
			afterwards.accept(record);
		}, backOff);
		handler.addNotRetryableExceptions(UnknownAppException.class);
		return handler;
	}

	/**
	 * Dead-letters a record whose work failed in a way waiting cannot fix, and waits for
	 * the broker's ack (an outage of the broker is thrown, to be waited out).
	 */
	public void send(ConsumerRecord<?, ?> record, Exception failure) {
		this.recoverer.accept(record, failure);
	}

}
