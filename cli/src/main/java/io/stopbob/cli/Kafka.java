package io.stopbob.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.stopbob.platform.bus.BusCredentials;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

	private final Map<String, Object> security;

	/** Clients of a PLAINTEXT bus. */
	public Kafka(String bootstrapServers) {
		this(bootstrapServers, Map.of());
	}

	/** Clients that sign in as {@code security} says (see {@link #credentials}). */
	public Kafka(String bootstrapServers, Map<String, Object> security) {
		this.bootstrapServers = bootstrapServers;
		this.security = Map.copyOf(security);
	}

	/** The client settings of a user of a SASL_SSL bus, as the services' are. */
	public static Map<String, Object> credentials(String user, String password, String truststore,
			String truststorePassword) {
		return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
				BusCredentials.jaas(user, password), "ssl.truststore.location", truststore, "ssl.truststore.type",
				"PKCS12", "ssl.truststore.password", truststorePassword);
	}

	/** Settings for any client of this bus, e.g. an {@link Admin}. */
	public Map<String, Object> config() {
		Map<String, Object> config = new HashMap<>(this.security);
		config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers);
		return config;
	}

	public KafkaProducer<String, byte[]> producer() {
		Map<String, Object> config = config();
		config.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.LINGER_MS_CONFIG, 0));
		return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

	/**
	 * A record the command line writes (a replay, a retried dead letter), marked with who
	 * wrote it: the broker's ACLs know the bus user (the operator), the header names the
	 * person.
	 */
	public static ProducerRecord<String, byte[]> byOperator(String topic, String key, byte[] value) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
		record.headers()
			.add(WRITTEN_BY, (System.getProperty("user.name", "unknown") + " via bin/stop")
				.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return record;
	}

	/** Header of records the command line wrote. */
	public static final String WRITTEN_BY = "stop_written-by";

	/** A consumer of every partition of the topic, outside any group. */
	public KafkaConsumer<String, byte[]> consumer(String topic, boolean fromBeginning) {
		Map<String, Object> config = config();
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer());
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
	/** Deletes those of the topics that exist. */
	public void delete(Set<String> topics) throws Exception {
		try (Admin admin = Admin.create(config())) {
			Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
			List<String> found = topics.stream().filter(existing::contains).toList();
			if (!found.isEmpty()) {
				admin.deleteTopics(found).all().get(30, TimeUnit.SECONDS);
			}
		}
	}

	public void recreate(Set<String> topics, int partitions) throws Exception {
		try (Admin admin = Admin.create(config())) {
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
