package io.stopbob.cli.log;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.stopbob.cli.Kafka;
import io.stopbob.schemas.EventCodec;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The records in the {@code *.DLT} topics with the failure their headers carry, and
 * putting one back on its original topic once its cause is fixed. Consumers are
 * idempotent on the event id, so a retry of a record that was handled after all changes
 * nothing.
 */
public final class DeadLetters {

	/** The headers Spring Kafka's dead-letter publisher writes, and ours. */
	static final String EXCEPTION = "kafka_dlt-exception-fqcn";

	static final String REASON = "stop_dlt-reason";

	/** Marks a record put back by hand: where it came from. */
	static final String RETRIED_FROM = "stop_retried-from";

	private final Kafka kafka;

	public DeadLetters(Kafka kafka) {
		this.kafka = kafka;
	}

	/** Every dead letter, topic by topic, oldest first. */
	public List<DeadLetter> list() {
		List<DeadLetter> letters = new ArrayList<>();
		for (String topic : Topics.all()) {
			for (ConsumerRecord<String, byte[]> record : read(Topics.deadLetter(topic))) {
				letters.add(DeadLetter.of(record));
			}
		}
		return letters;
	}

	public void print(List<DeadLetter> letters, PrintStream out) {
		if (letters.isEmpty()) {
			out.println("no dead letters");
			return;
		}
		out.printf("%-24s %4s %7s  %-20s %-24s %-12s %s%n", "DLT", "PART", "OFFSET", "TIME", "DEPLOY", "EXCEPTION",
				"REASON");
		for (DeadLetter letter : letters) {
			out.printf("%-24s %4d %7d  %-20s %-24s %-12s %s%n", letter.topic(), letter.partition(), letter.offset(),
					letter.time().toString().substring(0, 19), letter.deployId(), letter.exception(), letter.reason());
		}
	}

	/**
	 * Publishes the dead letter at {@code offset} of {@code topic} (the DLT or its
	 * original topic's name) back to its original topic, key and bytes unchanged.
	 * @param partition the partition, or -1 when the offset names one record in all
	 */
	public DeadLetter retry(String topic, long offset, int partition) throws Exception {
		String dlt = topic.endsWith(Topics.DLT_SUFFIX) ? topic : Topics.deadLetter(topic);
		List<ConsumerRecord<String, byte[]>> matches = read(dlt).stream()
			.filter((record) -> record.offset() == offset && (partition < 0 || record.partition() == partition))
			.toList();
		if (matches.isEmpty()) {
			throw new IllegalArgumentException(
					"no dead letter at offset " + offset + " of " + dlt + "; `bin/stop dlt list` shows what there is");
		}
		if (matches.size() > 1) {
			throw new IllegalArgumentException(dlt + " has a record at offset " + offset + " in partitions "
					+ matches.stream().map(ConsumerRecord::partition).toList() + "; name one with --partition");
		}
		ConsumerRecord<String, byte[]> record = matches.get(0);
		String original = dlt.substring(0, dlt.length() - Topics.DLT_SUFFIX.length());
		ProducerRecord<String, byte[]> back = Kafka.byOperator(original, record.key(), record.value());
		back.headers()
			.add(RETRIED_FROM, (dlt + "/" + record.partition() + "/" + offset).getBytes(StandardCharsets.UTF_8));
		try (KafkaProducer<String, byte[]> producer = this.kafka.producer()) {
			producer.send(back).get();
		}
		return DeadLetter.of(record);
	}

	private List<ConsumerRecord<String, byte[]>> read(String topic) {
		return this.kafka.records(topic, Instant.EPOCH);
	}

	/** One dead letter as a person reads it. */
	public record DeadLetter(String topic, int partition, long offset, Instant time, String key, String deployId,
			String exception, String reason) {

		static DeadLetter of(ConsumerRecord<String, byte[]> record) {
			String deployId;
			try {
				deployId = (record.value() != null) ? Events.metaOf(EventCodec.standard().decode(record.value()))
					.map((meta) -> meta.getDeployId())
					.orElse("-") : "-";
			}
			catch (RuntimeException undecodable) {
				deployId = "(undecodable)";
			}
			String exception = header(record, EXCEPTION);
			return new DeadLetter(record.topic(), record.partition(), record.offset(),
					Instant.ofEpochMilli(record.timestamp()), record.key(), deployId,
					exception.substring(exception.lastIndexOf('.') + 1), header(record, REASON));
		}

		private static String header(ConsumerRecord<String, byte[]> record, String name) {
			Header header = record.headers().lastHeader(name);
			return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "-";
		}

	}

}
