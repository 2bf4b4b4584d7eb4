package io.stopbob.platform.bus;

import java.util.function.Consumer;

import io.stopbob.platform.retry.OutsideFailure;
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
	 * the broker's ack. Not written is an outage, whatever the cause: the record must not
	 * count as done with neither its work nor its dead letter on the log.
	 */
	public void send(ConsumerRecord<?, ?> record, Exception failure) {
		try {
			this.recoverer.accept(record, failure);
		}
		catch (RuntimeException ex) {
			throw new Unsent(record, ex);
		}
	}

	/** A dead letter the broker did not take. */
	static final class Unsent extends RuntimeException implements OutsideFailure {

		Unsent(ConsumerRecord<?, ?> record, RuntimeException cause) {
			super("could not dead-letter " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": "
					+ cause.getMessage(), cause);
		}

		@Override
		public String system() {
			return "Kafka";
		}

		@Override
		public boolean permanent() {
			return false;
		}

	}

}
