package io.stopbob.platform.bus;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.stopbob.platform.bus.PartitionRestore.Mode;
import io.stopbob.platform.retry.OutsideFailure;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * A restoring listener whose work is an outside call per build: the outside system can be
 * away for some targets, and the work of some deploys can fail for good.
 */
@Component
class WorkingListener extends RestoringListener {

	/** Targets whose outside system is away. */
	final Set<String> away = ConcurrentHashMap.newKeySet();

	/** Deploys whose work fails in a way waiting cannot fix. */
	final Set<String> broken = ConcurrentHashMap.newKeySet();

	/** The work done, as "deploy", or "deploy uncertain" when it looked first. */
	final List<String> done = new CopyOnWriteArrayList<>();

	final AtomicInteger attemptsWhileAway = new AtomicInteger();

	/** The state: every build applied, by deploy; snapshotted per partition. */
	final Map<String, SpecificRecord> builds;

	/** Records applied as history since the count was last cleared. */
	final AtomicInteger replayed = new AtomicInteger();

	@Autowired
	WorkingListener(BusListeners bus) {
		this(bus, new ConcurrentHashMap<>());
	}

	private WorkingListener(BusListeners bus, Map<String, SpecificRecord> builds) {
		super(bus, new BuildsState(builds));
		this.builds = builds;
	}

	@KafkaListener(id = "working-test", topics = Topics.BUILD_PASSED, containerPostProcessor = ITSELF,
			properties = { PartitionRestore.MANUAL_COMMIT, PartitionRestore.NEW_GROUP_STARTS_AT_END })
	void on(ConsumerRecord<String, SpecificRecord> record) {
		receive(record);
	}

	@Override
	protected void apply(SpecificRecord event, Mode mode) {
		this.builds.put(Events.meta(event).getDeployId(), event);
		if (mode == Mode.REPLAY) {
			this.replayed.incrementAndGet();
		}
	}

	@Override
	protected void act(SpecificRecord event, boolean uncertain) {
		String deployId = Events.meta(event).getDeployId();
		if (this.broken.contains(deployId)) {
			throw new IllegalStateException("the work of " + deployId + " cannot be done");
		}
		if (this.away.contains(Events.key(event))) {
			this.attemptsWhileAway.incrementAndGet();
			throw new Away();
		}
		this.done.add(deployId + (uncertain ? " uncertain" : ""));
	}

	/** The outside system answering 503. */
	static final class Away extends RuntimeException implements OutsideFailure {

		Away() {
			super("HTTP 503");
		}

		@Override
		public String system() {
			return "the outside";
		}

		@Override
		public boolean permanent() {
			return false;
		}

	}

	/** The builds of a partition's targets, as snapshots take and restore them. */
	private record BuildsState(Map<String, SpecificRecord> builds) implements PartitionState {

		@Override
		public Snapshots.State snapshot(Predicate<String> ofPartition) {
			return new Snapshots.State(
					this.builds.values().stream().filter((event) -> ofPartition.test(Events.key(event))).toList(),
					List.of(), Map.of());
		}

		@Override
		public void restore(Snapshots.State state) {
			state.held().forEach((event) -> this.builds.put(Events.meta(event).getDeployId(), event));
		}

		@Override
		public void clear(Predicate<String> ofPartition) {
			this.builds.values().removeIf((event) -> ofPartition.test(Events.key(event)));
		}

	}

}
