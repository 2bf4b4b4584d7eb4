package io.stopbob.platform.bus;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes pipeline events to their topic, keyed by target, and returns only once the
 * broker has acknowledged them ({@code acks=all}), so a caller that answers a person
 * afterwards never promises a deploy that is not on the log.
 */
public class EventPublisher {

	private final KafkaTemplate<String, SpecificRecord> template;

	private final Duration timeout;

	public EventPublisher(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
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
			throw new PublishException(topic, key, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new PublishException(topic, key, ex);
		}
	}

	/**
	 * The broker did not acknowledge an event in time; nothing may assume it was
	 * published.
	 */
	public static class PublishException extends RuntimeException {

		PublishException(String topic, String key, Exception cause) {
			super("could not publish to " + topic + " for " + key + ": " + cause.getMessage(), cause);
		}

	}

}
