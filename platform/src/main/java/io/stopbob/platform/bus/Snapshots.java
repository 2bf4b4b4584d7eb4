package io.stopbob.platform.bus;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.stopbob.events.PartitionSnapshot;
import io.stopbob.schemas.EventCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of a service's state, one per partition, so a restart applies the newest one
 * and reads on from the offsets it was taken at instead of from the beginning of the log.
 * They live on the service's compacted topic {@code <service>.snapshots}, in the
 * partition they cover: compaction keeps the newest, so a restore reads one record.
 * Kafka's own mechanisms only; the event topics stay the source of truth, and a snapshot
 * that is missing, unreadable or of another schema is ignored (the partition is
 * replayed), so deleting every snapshot rebuilds the same state.
 */
public final class Snapshots implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Snapshots.class);

	/**
	 * A restore waits this long for its snapshots, then replays instead: a broker that is
	 * away must not hold a rebalance long.
	 */
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The largest snapshot, compressed: a partition's share of a window of 20,000 deploys
	 * is a few MB before compression.
	 */
	static final int MAX_BYTES = 64 * 1024 * 1024;

	private final String service;

	private final Map<String, Object> consumerConfigs;

	private final Map<String, Object> producerConfigs;

	private final int every;

	private volatile KafkaProducer<String, byte[]> producer;

	/**
	 * @param every records read in a partition after which its next snapshot is due; 0
	 * turns snapshots off
	 */
	public Snapshots(String service, Map<String, Object> consumerConfigs, Map<String, Object> producerConfigs,
			int every) {
		this.service = service;
		Map<String, Object> consumer = new HashMap<>(LogReaders.groupless(consumerConfigs, service + "-snapshots"));
		consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		this.consumerConfigs = consumer;
		Map<String, Object> producer = new HashMap<>(producerConfigs);
		producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
		producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_BYTES);
		producer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) MAX_BYTES);
		producer.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-snapshots");
		producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		this.producerConfigs = producer;
		this.every = every;
	}

	public static String topic(String service) {
		return service + ".snapshots";
	}

	/**
	 * Settings of a snapshot topic: compacted, and rolled hourly so the snapshots it
	 * replaced are cleaned; records up to the largest snapshot. Nothing expires, but
	 * {@code delete} beside {@code compact} lets an operator delete every snapshot
	 * ({@code kafka-delete-records}).
	 */
	public static Map<String, String> topicConfigs() {
		return Map.of("cleanup.policy", "compact,delete", "retention.ms", "-1", "segment.ms", "3600000",
				"min.cleanable.dirty.ratio", "0.1", "max.message.bytes", String.valueOf(MAX_BYTES));
	}

	public boolean enabled() {
		return this.every > 0;
	}

	/** Records read in a partition after which its next snapshot is due. */
	public int every() {
		return this.every;
	}

	/**
	 * The newest snapshot of each of the partitions; a partition without a usable one is
	 * left out (and the reason logged). Blocks a few seconds at most.
	 */
	public Map<Integer, Taken> read(Collection<Integer> partitions) {
		Map<Integer, Taken> found = new HashMap<>();
		if (!enabled() || partitions.isEmpty()) {
			return found;
		}
		String topic = topic(this.service);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(this.consumerConfigs)) {
			List<TopicPartition> wanted = partitions.stream().map((p) -> new TopicPartition(topic, p)).toList();
			consumer.assign(wanted);
			Map<TopicPartition, Long> ends = consumer.endOffsets(wanted, READ_TIMEOUT);
			Map<TopicPartition, Long> starts = consumer.beginningOffsets(wanted, READ_TIMEOUT);
			List<TopicPartition> present = wanted.stream()
				.filter((partition) -> ends.getOrDefault(partition, 0L) > starts.getOrDefault(partition, 0L))
				.toList();
			consumer.pause(wanted.stream().filter((partition) -> !present.contains(partition)).toList());
			// Compaction keeps the newest of each key, and only the newest is wanted.
			present.forEach((partition) -> consumer.seek(partition, ends.get(partition) - 1));
			Set<Integer> answered = new HashSet<>();
			long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
			while (answered.size() < present.size() && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					decode(record).ifPresent((taken) -> found.put(record.partition(), taken));
					answered.add(record.partition());
					consumer.pause(List.of(new TopicPartition(topic, record.partition())));
				}
			}
		}
		catch (KafkaException ex) {
			log.warn("snapshots of {} could not be read ({}); the partitions are replayed from the beginning", topic,
					ex.getMessage());
			found.clear();
		}
		return found;
	}

	private Optional<Taken> decode(ConsumerRecord<String, byte[]> record) {
		try {
			// First: it makes Avro trust the generated classes, this one among them.
			EventCodec codec = EventCodec.standard();
			PartitionSnapshot snapshot = PartitionSnapshot.getDecoder().decode(record.value());
			return Optional.of(new Taken(snapshot.getPartition(), snapshot.getTakenAt(),
					Map.copyOf(snapshot.getOffsets()), new State(decode(codec, snapshot.getHeld()),
							decode(codec, snapshot.getKept()), Map.copyOf(snapshot.getMarks()))));
		}
		catch (java.io.IOException | RuntimeException ex) {
			log.warn("snapshot {} of {}-{}@{} is not usable ({}); that partition is replayed from the beginning",
					record.key(), record.topic(), record.partition(), record.offset(), ex.toString());
			return Optional.empty();
		}
	}

	private static List<SpecificRecord> decode(EventCodec codec, List<ByteBuffer> events) {
		List<SpecificRecord> decoded = new ArrayList<>(events.size());
		for (ByteBuffer event : events) {
			byte[] bytes = new byte[event.remaining()];
			event.duplicate().get(bytes);
			decoded.add(codec.decode(bytes));
		}
		return decoded;
	}

	/**
	 * Writes the partition's snapshot, taken at {@code offsets} (per topic, the first
	 * record it does not cover). Sent in the background: a snapshot that fails is only a
	 * longer restart, and the next one is due after as many records again.
	 */
	public void write(int partition, Map<String, Long> offsets, State state) {
		EventCodec codec = EventCodec.standard();
		PartitionSnapshot snapshot = PartitionSnapshot.newBuilder()
			.setService(this.service)
			.setPartition(partition)
			.setTakenAt(Instant.now())
			.setOffsets(new HashMap<>(offsets))
			.setHeld(state.held().stream().map((event) -> ByteBuffer.wrap(codec.encode(event))).toList())
			.setKept(state.kept().stream().map((event) -> ByteBuffer.wrap(codec.encode(event))).toList())
			.setMarks(new HashMap<>(state.marks()))
			.build();
		byte[] bytes;
		try {
			ByteBuffer buffer = PartitionSnapshot.getEncoder().encode(snapshot);
			bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("cannot encode the snapshot of partition " + partition, ex);
		}
		String topic = topic(this.service);
		producer().send(new ProducerRecord<>(topic, partition, this.service + "/" + partition, bytes),
				(metadata, failure) -> {
					if (failure != null) {
						log.warn("snapshot of {} partition {} not written ({}); a restart replays more", this.service,
								partition, failure.getMessage());
					}
					else {
						log.debug("snapshot of {} partition {}: {} events, {} bytes, at {}", this.service, partition,
								state.held().size() + state.kept().size(), bytes.length, offsets);
					}
				});
	}

	private KafkaProducer<String, byte[]> producer() {
		KafkaProducer<String, byte[]> open = this.producer;
		if (open == null) {
			synchronized (this) {
				if (this.producer == null) {
					this.producer = new KafkaProducer<>(this.producerConfigs);
				}
				open = this.producer;
			}
		}
		return open;
	}

	@Override
	public void close() {
		KafkaProducer<String, byte[]> open = this.producer;
		if (open != null) {
			open.close(Duration.ofSeconds(5));
		}
	}

	/**
	 * What rebuilds a listener's state of one partition.
	 *
	 * @param held events that rebuild what it holds, in the order to apply them
	 * @param kept events of what it no longer holds but keeps a trace of
	 * @param marks per key, a time (epoch ms) the state needs beyond its events
	 */
	public record State(List<SpecificRecord> held, List<SpecificRecord> kept, Map<String, Long> marks) {

		public static final State EMPTY = new State(List.of(), List.of(), Map.of());

	}

	/**
	 * A snapshot read back.
	 *
	 * @param offsets per topic, the first record the snapshot does not cover
	 */
	public record Taken(int partition, Instant takenAt, Map<String, Long> offsets, State state) {

		/**
		 * Where to read each of the partition's topics from, or nothing if the snapshot
		 * does not fit: a topic it lacks, or an offset past {@code limits} (for a group,
		 * what it committed: the work of later records may not be done). Never before
		 * {@code beginnings}, the log's start: a position off the log resets to its end.
		 */
		public Optional<Map<TopicPartition, Long>> startsWithin(Map<TopicPartition, Long> limits,
				Map<TopicPartition, Long> beginnings) {
			Map<TopicPartition, Long> starts = new HashMap<>();
			for (Map.Entry<TopicPartition, Long> limit : limits.entrySet()) {
				Long offset = this.offsets.get(limit.getKey().topic());
				if (offset == null || offset > limit.getValue()) {
					return Optional.empty();
				}
				starts.put(limit.getKey(), Math.max(offset, beginnings.getOrDefault(limit.getKey(), 0L)));
			}
			return Optional.of(starts);
		}

	}

}
