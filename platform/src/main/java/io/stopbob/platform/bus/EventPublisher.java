package io.stopbob.platform.bus;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.stopbob.platform.retry.OutsideFailure;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RetriableException;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes pipeline events to their topic, keyed by target, and returns only once the
 * broker has acknowledged them ({@code acks=all}), so a caller that answers a person
 * afterwards never promises a deploy that is not on the log. It waits as long as the
 * producer may still deliver the event ({@code max.block.ms} +
 * {@code delivery.timeout.ms}), so a failure it reports is the producer's own verdict,
 * not an impatient guess.
 */
public class EventPublisher {

	private final KafkaTemplate<String, SpecificRecord> template;

	private final Duration timeout;

	public EventPublisher(KafkaTemplate<String, SpecificRecord> template) {
		this(template, producerBound(template).plusSeconds(5));
	}

	EventPublisher(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
		this.template = template;
		this.timeout = timeout;
	}

	public SendResult<String, SpecificRecord> publish(SpecificRecord event) {
		String topic = Topics.topicOf(event.getClass());
		String key = Events.key(event);
		try {
			return this.template.send(topic, key, event).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishException(topic, key, ex, true);
		}
		catch (TimeoutException ex) {
			throw new PublishException(topic, key, ex, true);
		}
		catch (ExecutionException ex) {
			// A retriable failure (the broker away, a delivery that timed out) may have
			// reached the log after all; anything else was refused before it was written.
			throw new PublishException(topic, key, (ex.getCause() != null) ? ex.getCause() : ex,
					ex.getCause() instanceof RetriableException);
		}
	}

	/** The longest the producer takes to say whether a send was delivered. */
	private static Duration producerBound(KafkaTemplate<String, SpecificRecord> template) {
		var configs = template.getProducerFactory().getConfigurationProperties();
		return Duration.ofMillis(millis(configs.get(ProducerConfig.MAX_BLOCK_MS_CONFIG), 60_000)
				+ millis(configs.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), 120_000));
	}

	private static long millis(Object configured, long kafkaDefault) {
		return (configured != null) ? Long.parseLong(configured.toString()) : kafkaDefault;
	}

	/**
	 * The broker did not acknowledge an event. When {@link #outcomeUnknown()} it may
	 * still be on the log, so nobody may be told it is not; otherwise it was not written.
	 */
	public static class PublishException extends RuntimeException implements OutsideFailure {

		private final boolean outcomeUnknown;

		PublishException(String topic, String key, Throwable cause, boolean outcomeUnknown) {
			super("could not publish to " + topic + " for " + key + ": " + cause.getMessage(), cause);
			this.outcomeUnknown = outcomeUnknown;
		}

		/** The event may or may not be on the log. */
		public boolean outcomeUnknown() {
			return this.outcomeUnknown;
		}

		@Override
		public String system() {
			return "Kafka";
		}

		@Override
		public boolean permanent() {
			return !this.outcomeUnknown;
		}

	}

}
