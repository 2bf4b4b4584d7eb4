package io.stopbob.cli.bench;

import io.stopbob.cli.Kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Drives a path from a first topic to a last one the way deploys use it: every target has
 * one request in flight, and its next goes out when the last topic shows the previous
 * one's end. Measures from the produce call to the consume, and how many ended a second
 * from the first request to the last end; counts what never came back and what came back
 * twice (watching a few seconds past the last).
 */
final class PacedDriver {

	private final Kafka kafka;

	PacedDriver(Kafka kafka) {
		this.kafka = kafka;
	}

	/**
	 * @param request makes the record for a target's n-th request, named by its id
	 * @param idOf the request id a record of the last topic ends, or null when it ends
	 * none
	 */
	Result run(String name, List<String> targets, int perTarget, String lastTopic,
			Function<Request, ProducerRecord<String, byte[]>> request,
			Function<ConsumerRecord<String, byte[]>, String> idOf, Duration timeout) {
		Map<String, Long> sentAt = new HashMap<>();
		Map<String, Request> requests = new HashMap<>();
		Set<String> ended = new HashSet<>();
		List<Long> latencies = new ArrayList<>();
		int duplicated = 0;
		int total = targets.size() * perTarget;
		long started = System.nanoTime();
		long lastEnd = started;
		try (KafkaConsumer<String, byte[]> consumer = this.kafka.consumer(lastTopic, false);
				KafkaProducer<String, byte[]> producer = this.kafka.producer()) {
			for (String target : targets) {
				send(producer, request, Request.first(name, target), sentAt, requests);
			}
			long deadline = System.nanoTime() + timeout.toNanos();
			long quietUntil = Long.MAX_VALUE;
			while (System.nanoTime() < Math.min(deadline, quietUntil)) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
					long now = System.nanoTime();
					String id = idOf.apply(record);
					Long sent = (id != null) ? sentAt.get(id) : null;
					if (sent == null) {
						continue;
					}
					if (!ended.add(id)) {
						duplicated++;
						continue;
					}
					latencies.add(now - sent);
					lastEnd = now;
					Request done = requests.get(id);
					if (done.n() + 1 < perTarget) {
						send(producer, request, done.next(), sentAt, requests);
					}
				}
				if (ended.size() == total && quietUntil == Long.MAX_VALUE) {
					quietUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				}
			}
		}
		long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
		double perSecond = (lastEnd > started) ? ended.size() / ((lastEnd - started) / 1e9) : 0;
		return new Result(Latencies.of(name, nanos), total, ended.size(), total - ended.size(), duplicated, perSecond);
	}

	private static void send(KafkaProducer<String, byte[]> producer,
			Function<Request, ProducerRecord<String, byte[]>> request, Request next, Map<String, Long> sentAt,
			Map<String, Request> requests) {
		ProducerRecord<String, byte[]> record = request.apply(next);
		requests.put(next.id(), next);
		sentAt.put(next.id(), System.nanoTime());
		producer.send(record);
	}

	/** A target's n-th request; its id is safe in a deploy id. */
	record Request(String id, String target, int n, String run) {

		static Request first(String run, String target) {
			return new Request(id(run, target, 0), target, 0, run);
		}

		Request next() {
			return new Request(id(this.run, this.target, this.n + 1), this.target, this.n + 1, this.run);
		}

		private static String id(String run, String target, int n) {
			return run + "-" + target.replaceAll("[^A-Za-z0-9]", "-") + "-" + n;
		}

	}

	record Result(Latencies latencies, int requested, int ended, int lost, int duplicated, double endedPerSecond) {

		void record(Figures figures) {
			String name = this.latencies.name();
			figures.put(name + "_requested", this.requested);
			figures.put(name + "_ended", this.ended);
			figures.put(name + "_lost", this.lost);
			figures.put(name + "_duplicated", this.duplicated);
			figures.put(name + "_ended_per_s", this.endedPerSecond);
			this.latencies.record(figures);
		}

	}

}
