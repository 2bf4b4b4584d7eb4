package io.stopbob.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.stopbob.cli.Kafka;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every record on the pipeline topics and their dead-letter topics, read from the
 * beginning in the background (and across a broker restart), so a test can count what was
 * published: how many times a deploy finished, what went to a DLT and why.
 */
final class TopicWatch implements AutoCloseable {

	private final List<Seen> seen = new CopyOnWriteArrayList<>();

	/**
	 * Records already counted, by topic, partition and offset: the watch's own group may
	 * read some again after a broker outage, and a record is counted once.
	 */
	private final Set<String> counted = new HashSet<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final KafkaConsumer<String, byte[]> consumer;

	private final Thread thread;

	TopicWatch(String bootstrapServers) {
		this(new Kafka(bootstrapServers));
	}

	/** Watching as the given clients sign in (the admin, on a secured bus). */
	TopicWatch(Kafka kafka) {
		Map<String, Object> config = kafka.config();
		config.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "system-test-watch",
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000,
				ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
		this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
		List<String> topics = new ArrayList<>(Topics.pipeline());
		Topics.pipeline().forEach((topic) -> topics.add(Topics.deadLetter(topic)));
		this.consumer.subscribe(topics);
		this.thread = new Thread(this::watch, "topic-watch");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void watch() {
		EventCodec codec = EventCodec.standard();
		try {
			while (this.running.get()) {
				for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(200))) {
					if (!this.counted.add(record.topic() + "-" + record.partition() + "@" + record.offset())) {
						continue;
					}
					String deployId = null;
					if (!record.topic().endsWith(Topics.DLT_SUFFIX) && record.value() != null) {
						try {
							deployId = Events.meta(codec.decode(record.value())).getDeployId().toString();
						}
						catch (RuntimeException poison) {
							// A poison record a test produced: counted by topic only.
						}
					}
					Header reason = record.headers().lastHeader("stop_dlt-reason");
					this.seen.add(new Seen(record.topic(), record.key(), deployId,
							(reason != null) ? new String(reason.value(), StandardCharsets.UTF_8) : null));
				}
			}
		}
		catch (WakeupException closing) {
			// Closed.
		}
		finally {
			this.consumer.close(Duration.ofSeconds(5));
		}
	}

	Stream<Seen> on(String topic) {
		return this.seen.stream().filter((record) -> record.topic().equals(topic));
	}

	long count(String topic) {
		return on(topic).count();
	}

	/** How many times the deploy finished: one, or something was lost or duplicated. */
	long finishes(String deployId) {
		return on(Topics.DEPLOY_FINISHED).filter((record) -> deployId.equals(record.deployId())).count();
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.consumer.wakeup();
		this.thread.join(10_000);
	}

	record Seen(String topic, String key, String deployId, String reason) {
	}

}
