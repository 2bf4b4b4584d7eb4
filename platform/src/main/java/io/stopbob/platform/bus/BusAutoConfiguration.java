package io.stopbob.platform.bus;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.retry.Outages;
import io.stopbob.schemas.EventDeserializer;
import io.stopbob.schemas.EventSerializer;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * The event bus, written once for every service: Avro events keyed by target, producers
 * that wait for all in-sync replicas, and consumers that never block on or drop a bad
 * record.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(BusProperties.class)
public class BusAutoConfiguration {

	/**
	 * Dead-letter header with the innermost failure, e.g.
	 * {@code UNKNOWN_FINGERPRINT: ...}: the standard exception headers only name the
	 * wrapper that Spring Kafka adds.
	 */
	public static final String REASON_HEADER = "stop_dlt-reason";

	@Bean
	DefaultKafkaProducerFactoryCustomizer eventProducer() {
		// Class names, not instances, so the dead-letter template can swap the value
		// serializer. No linger: every publish is waited for, one event at a time, so
		// batching would only add its delay (5 ms by default since Kafka 4) to each step.
		return (factory) -> factory
			.updateConfigs(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
					ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
					StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, EventSerializer.class));
	}

	@Bean
	DefaultKafkaConsumerFactoryCustomizer eventConsumer() {
		return (factory) -> factory.updateConfigs(Map.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				StringDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
				ErrorHandlingDeserializer.class, ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS,
				EventDeserializer.class, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
	}

	@Bean
	EventPublisher eventPublisher(KafkaTemplate<String, SpecificRecord> template) {
		return new EventPublisher(template);
	}

	@Bean
	KafkaAdmin.NewTopics pipelineTopics(BusProperties properties) {
		List<NewTopic> topics = new ArrayList<>();
		for (String topic : Topics.all()) {
			// The log is the system's memory: state is rebuilt from it, so nothing
			// expires. Of a person's settings only the newest counts.
			topics.add(new NewTopic(topic, Optional.of(properties.partitions()), properties.replicas())
				.configs(Topics.USER_PREFERENCES.equals(topic) ? Map.of("cleanup.policy", "compact")
						: Map.of("retention.ms", "-1")));
			topics.add(new NewTopic(Topics.deadLetter(topic), Optional.of(properties.partitions()),
					properties.replicas()));
		}
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

	/**
	 * The service's snapshots: compacted, of the newest per partition; one may be larger
	 * than the broker's default record limit.
	 */
	@Bean
	KafkaAdmin.NewTopics snapshotTopic(BusProperties properties,
			@Value("${spring.application.name:stop}") String service) {
		return new KafkaAdmin.NewTopics(
				new NewTopic(Snapshots.topic(service), Optional.of(properties.partitions()), properties.replicas())
					.configs(Snapshots.topicConfigs()));
	}

	@Bean(destroyMethod = "close")
	Snapshots snapshots(ConsumerFactory<?, ?> consumers, ProducerFactory<?, ?> producers, BusProperties properties,
			@Value("${spring.application.name:stop}") String service) {
		return new Snapshots(service, consumers.getConfigurationProperties(), producers.getConfigurationProperties(),
				properties.snapshotEvery());
	}

	@Bean
	DeadLetters deadLetters(ProducerFactory<Object, Object> producerFactory,
			KafkaTemplate<String, SpecificRecord> events, BusProperties properties) {
		KafkaOperations<Object, Object> rawBytes = new KafkaTemplate<>(producerFactory,
				Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
		Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
		templates.put(byte[].class, rawBytes);
		templates.put(SpecificRecord.class, events);
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(templates,
				(record, ex) -> new TopicPartition(Topics.deadLetter(record.topic()), record.partition()));
		recoverer.setHeadersFunction((record, ex) -> new RecordHeaders(
				new Header[] { new RecordHeader(REASON_HEADER, rootCause(ex).getBytes(StandardCharsets.UTF_8)) }));
		return new DeadLetters(recoverer, properties.retry());
	}

	/**
	 * For listeners that are not {@link RestoringListener}s: a failing record is retried
	 * a bounded number of times, then published to {@code <topic>.DLT}.
	 */
	@Bean
	DefaultErrorHandler deadLetteringErrorHandler(DeadLetters deadLetters) {
		return deadLetters.errorHandler((record) -> {
		});
	}

	/** Work waiting for an outside system, per system: the gauge stop.outside.waiting. */
	@Bean
	Outages outages(MeterRegistry meters) {
		return new Outages(meters);
	}

	@Bean(destroyMethod = "close")
	Lanes lanes(BusProperties properties, MeterRegistry meters, Outages outages,
			@Value("${spring.application.name:stop}") String service) {
		BusProperties.Lanes lanes = properties.lanes();
		return new Lanes(service + "-work", lanes.threads(), lanes.firstWait(), lanes.maxWait(), meters, outages);
	}

	@Bean
	LogReaders logReaders(ConsumerFactory<?, ?> consumers, Snapshots snapshots) {
		return new LogReaders(consumers.getConfigurationProperties(), snapshots);
	}

	/** History older than a service holds, read from the log when asked for. */
	@Bean
	LogRange logRange(ConsumerFactory<?, ?> consumers, BusProperties properties, Clock clock) {
		return new LogRange(consumers.getConfigurationProperties(), properties.longestRangeRead(), clock);
	}

	@Bean
	BusListeners busListeners(Lanes lanes, DeadLetters deadLetters, ObjectProvider<Catalog> catalog,
			BusProperties properties, LogReaders readers, Snapshots snapshots) {
		return new BusListeners(lanes, deadLetters, catalog, properties.lanes().maxPending(), readers, snapshots);
	}

	private static String rootCause(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
