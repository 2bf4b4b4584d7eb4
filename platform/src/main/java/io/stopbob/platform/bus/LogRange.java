package io.stopbob.platform.bus;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * One bounded read of the log, on demand: the records of the topics written since a point
 * in time (the log's own timestamps: {@code offsetsForTimes} finds where to start) up to
 * where each partition ends as the read starts, in log order per partition. For history
 * older than a service holds in memory; with a key, only the partition the key lives in
 * is read.
 */
public final class LogRange {

	private static final Duration POLL = Duration.ofMillis(200);

	private final Map<String, Object> configs;

	private final Duration longest;

	private final Clock clock;

	public LogRange(Map<String, Object> consumerConfigs, Duration longest, Clock clock) {
		// No group: each read is its own.
		this.configs = LogReaders.groupless(consumerConfigs,
				consumerConfigs.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, "stop") + "-range");
		this.longest = longest;
		this.clock = clock;
	}

	/**
	 * Hands every decodable record of the range to {@code each}.
	 * @param key only the partitions this key is written to; null for all
	 * @throws LogRangeException when the broker cannot be read or the read takes longer
	 * than it may
	 */
	public void read(List<String> topics, String key, Instant from,
			Consumer<ConsumerRecord<String, SpecificRecord>> each) {
		Instant deadline = this.clock.instant().plus(this.longest);
		try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(this.configs)) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : topics) {
				List<PartitionInfo> infos = consumer.partitionsFor(topic);
				for (PartitionInfo info : infos) {
					if (key == null || info.partition() == partitionOf(key, infos.size())) {
						partitions.add(new TopicPartition(topic, info.partition()));
					}
				}
			}
			consumer.assign(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			Map<TopicPartition, Long> times = new HashMap<>();
			partitions.forEach((partition) -> times.put(partition, from.toEpochMilli()));
			Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times);
			Set<TopicPartition> reading = new HashSet<>();
			for (TopicPartition partition : partitions) {
				OffsetAndTimestamp start = starts.get(partition);
				if (start != null && start.offset() < ends.get(partition)) {
					consumer.seek(partition, start.offset());
					reading.add(partition);
				}
			}
			consumer.pause(partitions.stream().filter((partition) -> !reading.contains(partition)).toList());
			while (!reading.isEmpty()) {
				if (this.clock.instant().isAfter(deadline)) {
					throw new LogRangeException("reading " + topics + " from " + from + " took longer than "
							+ this.longest.toSeconds() + " s; ask for a shorter range");
				}
				for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(POLL)) {
					TopicPartition partition = new TopicPartition(record.topic(), record.partition());
					if (record.value() != null && record.offset() < ends.get(partition)
							&& record.timestamp() >= from.toEpochMilli()) {
						each.accept(record);
					}
				}
				reading.removeIf((partition) -> consumer.position(partition) >= ends.get(partition));
			}
		}
		catch (KafkaException ex) {
			throw new LogRangeException("the log could not be read: " + ex.getMessage(), ex);
		}
	}

	/** The partition Kafka's default partitioner writes a key to. */
	static int partitionOf(String key, int partitions) {
		return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
	}

	/** The range could not be read whole: nothing partial is answered. */
	public static final class LogRangeException extends RuntimeException {

		LogRangeException(String message) {
			super(message);
		}

		LogRangeException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
