package io.stopbob.cli.bench;

import io.stopbob.cli.Kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.messaging.EventMapping;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Deploys through the running services (real adapters, outside systems stubbed to answer
 * at once) from {@code deploy-requested} produced to {@code deploy-finished} consumed,
 * beside the same traffic through four bare Kafka hops (consume, publish and wait for the
 * ack, as a service does) in the same run.
 */
final class PipelineBench {

	static final String HOP = "bench-hop-";

	private final Kafka kafka;

	private final EventCodec codec = EventCodec.standard();

	PipelineBench(Kafka kafka) {
		this.kafka = kafka;
	}

	/**
	 * A run's name at an instance count: as it always was for one instance of each
	 * service, {@code <name>_x<count>} for more.
	 */
	static String run(String name, int instances) {
		return (instances == 1) ? name : name + "_x" + instances;
	}

	/** The catalog's targets: {@code count} of them, two environments an app. */
	static List<Target> targets(int count) {
		return IntStream.range(0, count)
			.mapToObj((i) -> new Target(String.format("app%03d", i / 2), (i % 2 == 0) ? "staging" : "production"))
			.toList();
	}

	static String catalog(List<Target> targets) {
		StringBuilder yaml = new StringBuilder("apps:\n");
		targets.stream().map(Target::app).distinct().forEach((app) -> {
			yaml.append("  ").append(app).append(":\n");
			yaml.append("    repository: bench/").append(app).append('\n');
			yaml.append("    deploy-channel: C0DEPLOYS\n    changelog-channel: C0CHANGES\n    environments:\n");
			targets.stream().filter((target) -> target.app().equals(app)).forEach((target) -> {
				yaml.append("      ").append(target.environment()).append(":\n");
				yaml.append("        tag-prefix: ").append(target.environment()).append("-\n");
				yaml.append("        ci: { required-checks: [build], timeout: 5m }\n");
				yaml.append("        rollout: { backend: codedeploy, codedeploy: { application: ")
					.append(app)
					.append(", deployment-group: ")
					.append(target.environment())
					.append(" } }\n");
			});
		});
		return yaml.toString();
	}

	PacedDriver.Result pipeline(String name, List<Target> targets, int perTarget) {
		return new PacedDriver(this.kafka).run(name, targets.stream().map(Target::toString).toList(), perTarget,
				Topics.DEPLOY_FINISHED, (request) -> {
					Target target = targets.stream()
						.filter((candidate) -> candidate.toString().equals(request.target()))
						.findFirst()
						.orElseThrow();
					PipelineEvent.Requested requested = new PipelineEvent.Requested(
							new PipelineEvent.Meta(UUID.randomUUID().toString(), "d-" + request.id(), target,
									Instant.now(), "bench"),
							sha(), PipelineEvent.Kind.DEPLOY, new PipelineEvent.Person("U0BENCH", "bench"),
							new PipelineEvent.ThreadRef("C0DEPLOYS", "1764000000." + request.n()), null);
					return new ProducerRecord<>(Topics.DEPLOY_REQUESTED, target.toString(),
							this.codec.encode(EventMapping.toAvro(requested)));
				}, this::deployIdOf, Duration.ofMinutes(15));
	}

	private String deployIdOf(ConsumerRecord<String, byte[]> record) {
		String deployId = Events.meta(this.codec.decode(record.value())).getDeployId();
		return deployId.startsWith("d-") ? deployId.substring(2) : null;
	}

	/**
	 * The same traffic through four relays, the Kafka cost of the pipeline alone: all
	 * targets at once, then one target's requests one at a time.
	 */
	List<PacedDriver.Result> bareHops(List<Target> targets, int perTarget, int serial) throws Exception {
		Set<String> topics = Set.of(HOP + 0, HOP + 1, HOP + 2, HOP + 3, HOP + 4);
		this.kafka.recreate(topics, 6);
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> relays = new ArrayList<>();
		for (int hop = 0; hop < 4; hop++) {
			// Subscribed before the first request goes out.
			KafkaConsumer<String, byte[]> consumer = this.kafka.consumer(HOP + hop, false);
			String next = HOP + (hop + 1);
			Thread relay = new Thread(() -> relay(consumer, next, running), "relay-" + hop);
			relay.start();
			relays.add(relay);
		}
		byte[] payload = this.codec
			.encode(EventMapping.toAvro(new PipelineEvent.Requested(
					new PipelineEvent.Meta(UUID.randomUUID().toString(), "d-bench", targets.get(0), Instant.now(),
							"bench"),
					sha(), PipelineEvent.Kind.DEPLOY, new PipelineEvent.Person("U0BENCH", "bench"),
					new PipelineEvent.ThreadRef("C0DEPLOYS", "1764000000.1"), null)));
		try {
			PacedDriver driver = new PacedDriver(this.kafka);
			List<String> names = targets.stream().map(Target::toString).toList();
			Function<PacedDriver.Request, ProducerRecord<String, byte[]>> request = (next) -> {
				ProducerRecord<String, byte[]> record = new ProducerRecord<>(HOP + 0, next.target(), payload);
				record.headers().add("id", next.id().getBytes(StandardCharsets.UTF_8));
				return record;
			};
			Function<ConsumerRecord<String, byte[]>, String> idOf = (record) -> new String(
					record.headers().lastHeader("id").value(), StandardCharsets.UTF_8);
			driver.run("warmup_hops", names, 1, HOP + 4, request, idOf, Duration.ofMinutes(2));
			return List.of(driver.run("bare_hops", names, perTarget, HOP + 4, request, idOf, Duration.ofMinutes(5)),
					driver.run("bare_hops_serial", names.subList(0, 1), serial, HOP + 4, request, idOf,
							Duration.ofMinutes(2)));
		}
		finally {
			running.set(false);
			for (Thread relay : relays) {
				relay.join(10_000);
			}
		}
	}

	private void relay(KafkaConsumer<String, byte[]> consumer, String next, AtomicBoolean running) {
		try (consumer; KafkaProducer<String, byte[]> producer = this.kafka.producer()) {
			while (running.get()) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
					ProducerRecord<String, byte[]> forward = new ProducerRecord<>(next, record.key(), record.value());
					record.headers().forEach(forward.headers()::add);
					// Acknowledged before the next, as EventPublisher publishes.
					producer.send(forward).get();
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("relay to " + next + " failed", ex);
		}
	}

	private static String sha() {
		return UUID.randomUUID().toString().replace("-", "") + "0badc0de";
	}

}
