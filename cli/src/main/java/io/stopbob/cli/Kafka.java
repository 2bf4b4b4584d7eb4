package io.stopbob.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for the command line and the benchmarks, configured as the
 * services' are (acks=all, idempotence, no linger, client defaults otherwise), so a bare
 * hop and a service hop differ only in what the service does.
 */
public final class Kafka {

	private final String bootstrapServers;

	public Kafka(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	public KafkaProducer<String, byte[]> producer() {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers, ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 0),
				new StringSerializer(), new ByteArraySerializer());
	}

	/** A consumer of every partition of the topic, outside any group. */
	public KafkaConsumer<String, byte[]> consumer(String topic, boolean fromBeginning) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
						ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
				new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
			.stream()
			.map((info) -> new TopicPartition(topic, info.partition()))
			.toList();
		consumer.assign(partitions);
		if (fromBeginning) {
			consumer.seekToBeginning(partitions);
		}
		else {
			consumer.seekToEnd(partitions);
		}
		// Positions resolved now, so nothing produced after this call is missed.
		partitions.forEach(consumer::position);
		return consumer;
	}

	/**
	 * Every record of the topic from {@code from} (a record's timestamp; the epoch for
	 * all) up to its end as it is now.
	 */
	public List<ConsumerRecord<String, byte[]>> records(String topic, Instant from) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = consumer(topic, true)) {
			Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
			if (from.isAfter(Instant.EPOCH)) {
				Map<TopicPartition, Long> at = new HashMap<>();
				consumer.assignment().forEach((partition) -> at.put(partition, from.toEpochMilli()));
				Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at);
				consumer.assignment().forEach((partition) -> {
					OffsetAndTimestamp offset = offsets.get(partition);
					consumer.seek(partition, (offset != null) ? offset.offset() : end.get(partition));
				});
			}
			while (consumer.assignment().stream().anyMatch((part) -> consumer.position(part) < end.get(part))) {
				consumer.poll(Duration.ofMillis(500)).forEach(records::add);
			}
		}
		return records;
	}

	/** Creates the topics afresh (deleting any of the same name first). */
	public void recreate(Set<String> topics, int partitions) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
			List<String> stale = topics.stream().filter(existing::contains).toList();
			if (!stale.isEmpty()) {
				admin.deleteTopics(stale).all().get(30, TimeUnit.SECONDS);
				Thread.sleep(1_000);
			}
			admin.createTopics(topics.stream().map((topic) -> new NewTopic(topic, partitions, (short) 1)).toList())
				.all()
				.get(30, TimeUnit.SECONDS);
		}
	}

}
