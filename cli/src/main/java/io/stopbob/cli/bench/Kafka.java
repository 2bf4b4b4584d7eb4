package io.stopbob.cli.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for the benchmarks, configured as the services' are (acks=all,
 * idempotence, no linger, client defaults otherwise), so a bare hop and a service hop
 * differ only in what the service does.
 */
final class Kafka {

	private final String bootstrapServers;

	Kafka(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	KafkaProducer<String, byte[]> producer() {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers, ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
				new StringSerializer(), new ByteArraySerializer());
	}

	/** A consumer of every partition of the topic, outside any group. */
	KafkaConsumer<String, byte[]> consumer(String topic, boolean fromBeginning) {
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

	/** Creates the topics afresh (deleting any of the same name first). */
	void recreate(Set<String> topics, int partitions) throws Exception {
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
