package io.stopbob.ingress.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.stopbob.ingress.slack.SignedRequests;
import io.stopbob.platform.bus.LogReaders;
import io.stopbob.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Accepted signatures on {@link Topics#SLACK_REQUESTS}, keyed by signature with the
 * request's own timestamp as value, read back by every instance from all partitions: of
 * two instances offered the same request, the one whose record comes first in the
 * partition accepts it, the other refuses it. A claim waits until this instance has read
 * past its own record, so it answers from every record before it; a restarted instance
 * reads back {@link #READ_BACK} first (a request accepted up to a window before its
 * timestamp may be replayed up to a window after it).
 * <p>
 * Memory: each signature until {@link SignedRequests#WINDOW} plus a minute after its
 * request's timestamp, when no instance would accept it anyway; at most
 * {@link #MAX_REMEMBERED} (a Slack workspace sends far fewer in ten minutes). The topic
 * keeps fifteen minutes.
 */
public class KafkaSignedRequests implements SignedRequests, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(KafkaSignedRequests.class);

	private static final Duration MARGIN = Duration.ofMinutes(1);

	/** Accepted as early as a window before the timestamp, replayable a window after. */
	static final Duration READ_BACK = WINDOW.multipliedBy(2).plus(MARGIN);

	static final int MAX_REMEMBERED = 200_000;

	/** Well inside Slack's three seconds to answer. */
	private static final Duration CLAIM_TIMEOUT = Duration.ofMillis(1500);

	private static final Duration RETRY = Duration.ofSeconds(2);

	private final KafkaTemplate<String, String> template;

	private final ConsumerFactory<?, ?> consumers;

	private final Clock clock;

	/** Signature to its first record, in the order they were read. */
	private final LinkedHashMap<String, First> seen = new LinkedHashMap<>();

	/** Next offset to read, per partition. */
	private final Map<Integer, Long> positions = new HashMap<>();

	private volatile Consumer<String, String> consumer;

	private volatile boolean running;

	private Thread reader;

	public KafkaSignedRequests(ProducerFactory<?, ?> producers, ConsumerFactory<?, ?> consumers, Clock clock) {
		@SuppressWarnings("unchecked")
		ProducerFactory<String, String> strings = (ProducerFactory<String, String>) producers;
		this.template = new KafkaTemplate<>(strings, Map.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
		this.consumers = consumers;
		this.clock = clock;
	}

	@Override
	public Claim claim(String signature, Instant signedAt) {
		long deadline = System.nanoTime() + CLAIM_TIMEOUT.toNanos();
		RecordMetadata mine;
		try {
			mine = this.template.send(Topics.SLACK_REQUESTS, signature, Long.toString(signedAt.toEpochMilli()))
				.get(CLAIM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.getRecordMetadata();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Claim.UNKNOWN;
		}
		catch (Exception ex) {
			log.warn("could not record a signed request on {}: {}", Topics.SLACK_REQUESTS, ex.toString());
			return Claim.UNKNOWN;
		}
		synchronized (this) {
			while (this.positions.getOrDefault(mine.partition(), -1L) <= mine.offset()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return Claim.UNKNOWN;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return Claim.UNKNOWN;
				}
			}
			First first = this.seen.get(signature);
			return (first == null || (first.partition == mine.partition() && first.offset == mine.offset()))
					? Claim.FIRST : Claim.REPLAYED;
		}
	}

	/** Reads until stopped; a failure (the broker away at start) is tried again. */
	private void readUntilStopped() {
		while (this.running) {
			try (Consumer<String, String> reading = newConsumer()) {
				this.consumer = reading;
				read(reading);
			}
			catch (WakeupException stopping) {
				return;
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					return;
				}
				log.warn("reading {} failed, signed requests are refused meanwhile; trying again in {}: {}",
						Topics.SLACK_REQUESTS, RETRY, ex.toString());
				sleep();
			}
		}
	}

	private void read(Consumer<String, String> reading) {
		List<TopicPartition> partitions = reading.partitionsFor(Topics.SLACK_REQUESTS, Duration.ofSeconds(30))
			.stream()
			.map((info) -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		if (partitions.isEmpty()) {
			throw new IllegalStateException(Topics.SLACK_REQUESTS + " has no partitions yet");
		}
		reading.assign(partitions);
		Map<TopicPartition, Long> since = new HashMap<>();
		partitions.forEach((partition) -> since.put(partition, this.clock.millis() - READ_BACK.toMillis()));
		Map<TopicPartition, OffsetAndTimestamp> from = reading.offsetsForTimes(since, Duration.ofSeconds(30));
		Map<TopicPartition, Long> ends = reading.endOffsets(partitions, Duration.ofSeconds(30));
		for (TopicPartition partition : partitions) {
			OffsetAndTimestamp offset = from.get(partition);
			reading.seek(partition, (offset != null) ? offset.offset() : ends.get(partition));
		}
		while (this.running) {
			var records = reading.poll(Duration.ofMillis(500));
			synchronized (this) {
				for (ConsumerRecord<String, String> record : records) {
					if (record.key() != null) {
						this.seen.putIfAbsent(record.key(),
								new First(record.partition(), record.offset(), expiry(record.value())));
					}
				}
				for (TopicPartition partition : partitions) {
					this.positions.put(partition.partition(), reading.position(partition));
				}
				forgetOld();
				notifyAll();
			}
		}
	}

	/** When no instance would accept the request any more. */
	private static long expiry(String signedAtMillis) {
		try {
			return Long.parseLong(signedAtMillis) + WINDOW.plus(MARGIN).toMillis();
		}
		catch (NumberFormatException ex) {
			return Long.MAX_VALUE;
		}
	}

	private void forgetOld() {
		long now = this.clock.millis();
		Iterator<First> firsts = this.seen.values().iterator();
		while (firsts.hasNext()) {
			First first = firsts.next();
			if (first.expiry > now && this.seen.size() <= MAX_REMEMBERED) {
				break;
			}
			firsts.remove();
		}
	}

	private Consumer<String, String> newConsumer() {
		Map<String, Object> properties = this.consumers.getConfigurationProperties();
		// No group: every instance reads every partition and commits nothing.
		Map<String, Object> config = LogReaders.groupless(properties,
				properties.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, "slack-ingress") + "-signed-requests");
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		return new KafkaConsumer<>(config);
	}

	private void sleep() {
		try {
			Thread.sleep(RETRY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.reader = new Thread(this::readUntilStopped, "signed-requests");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Consumer<String, String> reading = this.consumer;
		if (reading != null) {
			reading.wakeup();
		}
		if (this.reader != null) {
			this.reader.interrupt();
			try {
				this.reader.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private record First(int partition, long offset, long expiry) {
	}

}
