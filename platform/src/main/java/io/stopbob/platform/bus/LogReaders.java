package io.stopbob.platform.bus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.avro.specific.SpecificRecord;
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

	public LogReaders(Map<String, Object> consumerConfigs) {
		this.consumerConfigs = Map.copyOf(consumerConfigs);
	}

	/** A reader of every partition of the topics into {@code apply}, in log order. */
	public LogReader create(String name, List<String> topics, Consumer<ConsumerRecord<String, SpecificRecord>> apply) {
		LogReader reader = new LogReader(name, topics, this.consumerConfigs, apply);
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
