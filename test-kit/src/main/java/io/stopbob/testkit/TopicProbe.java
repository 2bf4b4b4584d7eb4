package io.stopbob.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.stopbob.schemas.EventCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what really landed on topics, raw, from the beginning, as a user of the log
 * would: tests assert on these records, not on the service's internals.
 */
public final class TopicProbe implements AutoCloseable {

	private final KafkaConsumer<String, byte[]> consumer;

	private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

	private TopicProbe(String bootstrapServers, List<String> topics) {
		this.consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"probe-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer());
		this.consumer.subscribe(topics);
	}

	public static TopicProbe on(String bootstrapServers, String... topics) {
		return new TopicProbe(bootstrapServers, List.of(topics));
	}

	/**
	 * Waits until records matching the filter number at least {@code count}, and returns
	 * all of them; fails with what it saw if they do not come in time.
	 */
	public List<ConsumerRecord<String, byte[]>> await(int count,
			java.util.function.Predicate<ConsumerRecord<String, byte[]>> filter, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			List<ConsumerRecord<String, byte[]>> matching = this.seen.stream().filter(filter).toList();
			if (matching.size() >= count) {
				return matching;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("expected " + count + " matching records within " + timeout + ", saw "
						+ matching.size() + " of " + this.seen.size() + ": " + describe(this.seen));
			}
			this.consumer.poll(Duration.ofMillis(100)).forEach(this.seen::add);
		}
	}

	/**
	 * Everything that arrives during {@code quiet}, on top of what was seen; for "nothing
	 * more" checks.
	 */
	public List<ConsumerRecord<String, byte[]>> drain(Duration quiet) {
		long deadline = System.nanoTime() + quiet.toNanos();
		while (System.nanoTime() < deadline) {
			this.consumer.poll(Duration.ofMillis(100)).forEach(this.seen::add);
		}
		return List.copyOf(this.seen);
	}

	public static SpecificRecord event(ConsumerRecord<String, byte[]> record) {
		return EventCodec.standard().decode(record.value());
	}

	public static boolean decodes(ConsumerRecord<String, byte[]> record) {
		try {
			event(record);
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	public static String header(ConsumerRecord<?, ?> record, String name) {
		var header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), java.nio.charset.StandardCharsets.UTF_8) : null;
	}

	private static String describe(List<ConsumerRecord<String, byte[]>> records) {
		return records.stream().map((r) -> r.topic() + "@" + r.offset() + "[" + r.key() + "]").toList().toString();
	}

	@Override
	public void close() {
		this.consumer.close(Duration.ofSeconds(2));
	}

}
