package io.stopbob.platform.bus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * The service's {@link LogReader}s: started before the listener containers, so a record's
 * work never waits on a reader that is not reading, and stopped after them.
 */
public final class LogReaders implements SmartLifecycle {

	private final Map<String, Object> consumerConfigs;

	private final List<LogReader> readers = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	private final Snapshots snapshots;

	public LogReaders(Map<String, Object> consumerConfigs, Snapshots snapshots) {
		this.consumerConfigs = Map.copyOf(consumerConfigs);
		this.snapshots = snapshots;
	}

	/**
	 * The service's consumer settings for a consumer of no group: nothing to join, no
	 * group ACL, nothing committed; it reads the partitions it assigns itself.
	 * @param clientId the consumer's name in the broker's logs and metrics
	 */
	public static Map<String, Object> groupless(Map<String, Object> consumerConfigs, String clientId) {
		Map<String, Object> configs = new HashMap<>(consumerConfigs);
		configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
		configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		configs.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
		return configs;
	}

	/**
	 * A reader of every partition of the topics into {@code apply}, in log order, that
	 * starts each partition of {@code state} from its newest snapshot and writes the
	 * snapshots of those it {@code keeps}.
	 */
	public LogReader create(String name, List<String> topics, Consumer<ConsumerRecord<String, SpecificRecord>> apply,
			PartitionState state, IntPredicate keeps) {
		LogReader reader = new LogReader(name, topics, this.consumerConfigs, apply, this.snapshots, state, keeps);
		this.readers.add(reader);
		if (this.running) {
			reader.start();
		}
		return reader;
	}

	@Override
	public void start() {
		this.running = true;
		this.readers.forEach(LogReader::start);
	}

	@Override
	public void stop() {
		this.running = false;
		this.readers.forEach(LogReader::stop);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE - 100;
	}

}
