package io.stopbob.platform.bus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.stopbob.platform.bus.PartitionRestore.Mode;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.retry.Outage;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.TargetKey;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * A service's listener that keeps state rebuilt from the topics and acts on what is new
 * to it. Every record is applied to state on the consumer thread, in log order; the work
 * a record asks for runs in its target's lane ({@link Lanes}), after the work before it
 * for that target, beside other targets', and is done only when its side effects happened
 * or were found done. Only then does it count towards the commit
 * ({@link PartitionRestore}) : a record whose work did not finish (an outage that
 * outlasted the service, a crash) is delivered again, to this service or its next owner,
 * and its work runs again, looking first for what it may have done.
 * <p>
 * On assignment the partitions are replayed into state; work waits until every assigned
 * partition is read up to where its log ended, so nothing is decided from half the log;
 * then {@link #onCaughtUp} picks up what the state says is unfinished. Replayed records
 * are history: they skip the catalog check, and a history record that fails (undecodable)
 * is skipped, not dead-lettered again. A live record for an app the catalog lacks, or one
 * that fails on the consumer thread, goes to its dead-letter topic; so does one whose
 * work fails in a way waiting cannot fix.
 * <p>
 * Subclasses call {@link #receive} from a {@code @KafkaListener} method that names the
 * listener's bean as its {@code containerPostProcessor} and uses
 * {@link PartitionRestore#MANUAL_COMMIT} and
 * {@link PartitionRestore#NEW_GROUP_STARTS_AT_END}.
 * <p>
 * A listener whose state answers people (every target, on every instance) is built with a
 * {@link LogReader} instead: the reader applies every partition to state, and the group
 * consumer starts where the group committed, does the work of its own partitions only,
 * and hands a record's work on once the reader has applied it. A partition that moves to
 * this instance needs no replay then: its state is here already.
 * <p>
 * A listener built with a {@link PartitionState} writes its state of each partition to
 * {@link Snapshots} every {@code stop.bus.snapshot-every} records, on the thread that
 * applies them, between polls, and only at offsets the group has committed with no work
 * pending (so a restore never skips work that was not done). On assignment the
 * partition's state is cleared and restored from its newest snapshot, and the partition
 * read on from there; without a snapshot that fits, from the beginning.
 */
public abstract class RestoringListener implements ConsumerSeekAware, RecordInterceptor<String, SpecificRecord>,
		ContainerPostProcessor<String, SpecificRecord, AbstractMessageListenerContainer<String, SpecificRecord>> {

	/**
	 * The {@code containerPostProcessor} of the listener's {@code @KafkaListener}: the
	 * listener itself (Spring Kafka's name for the bean whose method it is), which gives
	 * its container the restore's interceptor and error handler.
	 */
	public static final String ITSELF = "#{__listener}";

	private static final Logger log = LoggerFactory.getLogger(RestoringListener.class);

	private final BusListeners bus;

	private final PartitionRestore restore = new PartitionRestore();

	/** Null where the group consumer replays its own partitions into state. */
	private final LogReader reader;

	/** The state snapshots take and restore. */
	private final PartitionState state;

	/** Partitions per topic, as the consumer last saw them. */
	private volatile int partitionCount;

	/**
	 * When the group last gave this instance partitions (epoch ms); -1 while it has none.
	 */
	private volatile long takenAt = -1;

	/** The timestamp of the record the reader applies; reader thread only. */
	private long readingWrittenAt;

	/**
	 * Work that came while the assignment was replaying, at most
	 * {@code stop.bus.lanes.max-pending} per partition; consumer thread only.
	 */
	private final List<Work> held = new ArrayList<>();

	/** How much of {@link #held} each partition has; consumer thread only. */
	private final Map<TopicPartition, Integer> heldPer = new HashMap<>();

	/**
	 * Per partition whose held work was full, the first record whose work was dropped:
	 * read again from there once work starts (its commit waits for it meanwhile);
	 * consumer thread only.
	 */
	private final Map<TopicPartition, Long> rewindTo = new HashMap<>();

	/**
	 * Per partition read again, where the first reading stopped: records before it were
	 * applied already, and only their work still awaited runs; consumer thread only.
	 */
	private final Map<TopicPartition, Long> rereadUntil = new HashMap<>();

	private final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();

	private volatile MessageListenerContainer container;

	/** The container's consumer, known from its first poll; consumer thread only. */
	private Consumer<?, ?> consumer;

	/** Work runs (the assignment is replayed); consumer thread only. */
	private boolean working;

	/**
	 * Per partition number, the sum of its topics' offsets at the last snapshot (or the
	 * restore); consumer thread only, one entry per assigned partition.
	 */
	private final Map<Integer, Long> snapshotAt = new HashMap<>();

	/** State snapshotted per partition: an assignment restores it, then reads on. */
	protected RestoringListener(BusListeners bus, PartitionState state) {
		this.bus = bus;
		this.state = Objects.requireNonNull(state);
		this.reader = null;
	}

	/**
	 * State from every partition of {@code topics}, read by a {@link LogReader} of its
	 * own, which starts from the snapshots of {@code state}; work for the partitions the
	 * group gives this instance.
	 */
	protected RestoringListener(BusListeners bus, String name, List<String> topics, PartitionState state) {
		this.bus = bus;
		this.state = Objects.requireNonNull(state);
		this.reader = bus.readers()
			.create(name, topics, this::read, state, (partition) -> this.restore.assignedNumbers().contains(partition));
	}

	/** A record from the reader: history until it has caught up. Reader thread. */
	private void read(ConsumerRecord<String, SpecificRecord> record) {
		this.readingWrittenAt = record.timestamp();
		apply(record.value(), this.reader.caughtUp() ? Mode.LIVE : Mode.REPLAY);
	}

	/**
	 * While the reader applies a record: whether it was written after the group gave this
	 * instance the key's partition, so no other instance can have acted on it (the group
	 * takes partitions away before it hands them out). Compares the record's timestamp
	 * with this host's clock: clocks kept in step (NTP) are assumed.
	 */
	protected final boolean writtenWhileOwned(String key) {
		long taken = this.takenAt;
		return this.reader != null && this.reader.caughtUp() && taken >= 0 && this.readingWrittenAt > taken
				&& owns(key);
	}

	/** State only: the record's event into this service's projections, in log order. */
	protected abstract void apply(SpecificRecord event, Mode mode);

	/** Whether the event asks this service for work; false needs no lane. */
	protected boolean actsOn(SpecificRecord event) {
		return true;
	}

	/**
	 * The event's work, in its target's lane: outside calls, events published. Throw an
	 * {@link Outage} to wait and run again; handle a permanent failure here (a FAILED
	 * deploy, a logged refusal); anything else thrown dead-letters the record.
	 * @param uncertain it may have been done before (a crash, an earlier attempt): look
	 * for the side effect before making it
	 */
	protected abstract void act(SpecificRecord event, boolean uncertain);

	/**
	 * The assignment is replayed: resume, through {@link #redrive}, what the state says a
	 * restart or an outage cut short.
	 */
	protected void onCaughtUp() {
	}

	/**
	 * The group took partitions away: another instance may act on their targets from now
	 * on. Consumer thread.
	 */
	protected void onGivenUp() {
	}

	/**
	 * Runs work the state asks for in the lane of {@code key} (a target, as the records
	 * are keyed), waiting out outages; only if this instance owns the key's partition,
	 * since work happens once, at the target's owner. Call from {@link #onCaughtUp}.
	 */
	protected final void redrive(String key, String what, Runnable work) {
		if (owns(key)) {
			this.bus.lanes().submit(key, new Redrive(partitionOf(key), what, work));
		}
	}

	/**
	 * Whether the work of {@code key} (a target, as the records are keyed) is this
	 * instance's now: the group gave it the key's partition. Any thread.
	 */
	public final boolean owns(String key) {
		return this.partitionCount > 0 && this.restore.assignedNumbers().contains(partitionOf(key));
	}

	/**
	 * The key's partition: the default partitioner's choice, the same on every topic
	 * (they have the same partition count).
	 */
	private int partitionOf(String key) {
		return partitionOf(key, this.partitionCount);
	}

	static int partitionOf(String key, int partitions) {
		return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
	}

	/** Whether the app is in the catalog: work for a removed app is history only. */
	protected final boolean known(String app) {
		Catalog catalog = this.bus.catalog().getIfAvailable();
		return catalog == null || catalog.app(app).isPresent();
	}

	/**
	 * True once the assigned partitions are replayed up to where their logs ended at
	 * assignment.
	 */
	public boolean caughtUp() {
		return (this.reader != null) ? this.reader.caughtUp() : this.restore.caughtUp();
	}

	/** Per partition, how far the replay has come. */
	public Map<String, String> progress() {
		return (this.reader != null) ? this.reader.progress() : this.restore.progress();
	}

	/** Call from the {@code @KafkaListener} method. */
	protected final void receive(ConsumerRecord<String, SpecificRecord> record) {
		Mode mode = this.restore.classify(record);
		SpecificRecord event = record.value();
		Long reread = this.rereadUntil.isEmpty() ? null
				: this.rereadUntil.get(new TopicPartition(record.topic(), record.partition()));
		if (reread != null && record.offset() < reread) {
			// Read again only for the work dropped while the replay ran.
			if (event != null && this.restore.awaits(record)) {
				submit(new Work(record, event, mode == Mode.UNCERTAIN, this.restore.track(record)));
			}
			return;
		}
		if (event != null && this.reader == null) {
			// State first, as a replay will apply it: live and replayed state agree.
			apply(event, mode);
		}
		if (mode == Mode.REPLAY) {
			return;
		}
		if (event != null) {
			requireKnownApp(event);
		}
		PartitionRestore.Handle handle = this.restore.track(record);
		if (event == null || !actsOn(event)) {
			handle.done();
			return;
		}
		Work work = new Work(record, event, mode == Mode.UNCERTAIN, handle);
		if (this.reader != null) {
			this.reader.whenApplied(work.partition(), record.offset(), this, () -> submit(work));
		}
		else if (this.working) {
			submit(work);
		}
		else if (this.rewindTo.containsKey(work.partition())
				|| this.heldPer.getOrDefault(work.partition(), 0) >= this.bus.maxPending()) {
			// Too much waits for the replay (a long time down): the rest of the partition
			// is read again for its work once the replay is over. Tracked, so the commit
			// waits for it.
			this.rewindTo.putIfAbsent(work.partition(), record.offset());
		}
		else {
			this.held.add(work);
			this.heldPer.merge(work.partition(), 1, Integer::sum);
		}
	}

	@Override
	public void postProcess(AbstractMessageListenerContainer<String, SpecificRecord> container) {
		container.setRecordInterceptor(this);
		container.setCommonErrorHandler(
				new RestoreErrorHandler(this.restore, this.bus.deadLetters().errorHandler(this.restore::done)));
		this.container = container;
	}

	@Override
	public ConsumerRecord<String, SpecificRecord> intercept(ConsumerRecord<String, SpecificRecord> record,
			Consumer<String, SpecificRecord> consumer) {
		return record;
	}

	/**
	 * Before each poll: replay progress, commits, the start of work, and which partitions
	 * to read.
	 */
	@Override
	public void setupThreadState(Consumer<?, ?> consumer) {
		this.consumer = consumer;
		boolean replayed = this.restore.beforePoll(consumer);
		if (this.reader != null) {
			replayed = this.restore.hasAssignment() && this.reader.caughtUp();
		}
		if (replayed && !this.working) {
			startWork();
		}
		if (this.working && this.reader == null) {
			snapshotWhereDue(consumer);
		}
		pauseWhereBehind();
	}

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		Map<TopicPartition, Long> ends = (this.consumer != null) ? this.consumer.endOffsets(assignments.keySet())
				: assignments;
		if (this.consumer != null && !assignments.isEmpty()) {
			// Every topic has as many partitions: any assigned one tells.
			this.partitionCount = this.consumer.partitionsFor(assignments.keySet().iterator().next().topic()).size();
		}
		// With a reader the state is here already: start where the group committed.
		Map<TopicPartition, Long> starts = (this.reader == null) ? restoreState(assignments) : Map.of();
		this.restore.assigned(assignments, ends, (this.reader == null) ? callback : null, starts);
		this.working = false;
		log.info((this.reader == null) ? "replaying {} partitions before acting: {}" : "given {} partitions: {}",
				assignments.size(), this.restore.progress());
		this.takenAt = System.currentTimeMillis();
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		if (partitions == null || partitions.isEmpty()) {
			return;
		}
		this.restore.revoked(partitions, this.consumer);
		// Work of given-up partitions is their next owner's: it is not committed here.
		Set<Integer> numbers = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
		this.bus.lanes()
			.cancel((job) -> (job instanceof Work work && work.owner() == this && partitions.contains(work.partition()))
					|| (job instanceof Redrive redrive && redrive.owner() == this
							&& numbers.contains(redrive.partition())));
		this.held.removeIf((work) -> partitions.contains(work.partition()));
		partitions.forEach((partition) -> {
			this.heldPer.remove(partition);
			this.rewindTo.remove(partition);
			this.rereadUntil.remove(partition);
		});
		if (this.reader != null) {
			this.reader.drop((waiting) -> waiting.owner() == this && partitions.contains(waiting.partition()));
		}
		// A pause outlives the assignment in Spring Kafka: lift it, or the partition
		// stays
		// paused when it comes back and never replays.
		for (TopicPartition partition : partitions) {
			if (this.paused.remove(partition)) {
				this.container.resumePartition(partition);
			}
		}
		this.takenAt = -1;
		numbers.forEach(this.snapshotAt::remove);
		onGivenUp();
	}

	/**
	 * Clears the state of each assigned partition and restores it from its newest
	 * snapshot, if one fits: one at or before what the group committed (the work of
	 * records after that may not be done, so they must be read again).
	 * @return where to read on from, per restored topic partition; the rest from the
	 * beginning
	 */
	private Map<TopicPartition, Long> restoreState(Map<TopicPartition, Long> assignments) {
		Map<Integer, Map<TopicPartition, Long>> byNumber = new TreeMap<>();
		assignments
			.forEach((partition, position) -> byNumber.computeIfAbsent(partition.partition(), (key) -> new HashMap<>())
				.put(partition, position));
		Snapshots snapshots = this.bus.snapshots();
		boolean snapshotted = snapshots.enabled() && this.consumer != null && this.partitionCount > 0;
		Map<Integer, Snapshots.Taken> found = snapshotted ? snapshots.read(byNumber.keySet()) : Map.of();
		Map<TopicPartition, Long> beginnings = found.isEmpty() ? Map.of()
				: this.consumer.beginningOffsets(assignments.keySet());
		Map<TopicPartition, Long> starts = new HashMap<>();
		byNumber.forEach((number, positions) -> {
			int partitions = this.partitionCount;
			this.state.clear((key) -> partitions > 0 && partitionOf(key, partitions) == number);
			Snapshots.Taken taken = found.get(number);
			Map<TopicPartition, Long> fit = (taken != null) ? taken.startsWithin(positions, beginnings).orElse(null)
					: null;
			if (fit != null) {
				this.state.restore(taken.state());
				starts.putAll(fit);
				log.info("partition {} restored from its snapshot of {} ({} events), read on from {}", number,
						taken.takenAt(), taken.state().held().size() + taken.state().kept().size(), fit);
			}
			else if (taken != null) {
				log.info("the snapshot of partition {} is past what the group committed ({} beyond {}): replayed",
						number, taken.offsets(), positions);
			}
			this.snapshotAt.put(number, fit != null ? fit.values().stream().mapToLong(Long::longValue).sum() : 0L);
		});
		return starts;
	}

	/**
	 * Writes the snapshot of each partition that has read {@code stop.bus.snapshot-every}
	 * records since its last, where the group committed everything read and no work is
	 * pending: the state then covers exactly the records before the offsets it gives.
	 */
	private void snapshotWhereDue(Consumer<?, ?> consumer) {
		Snapshots snapshots = this.bus.snapshots();
		if (!snapshots.enabled() || this.partitionCount == 0) {
			return;
		}
		Map<Integer, List<TopicPartition>> byNumber = this.restore.assigned()
			.stream()
			.collect(Collectors.groupingBy(TopicPartition::partition));
		byNumber.forEach((number, partitions) -> {
			Map<String, Long> offsets = new HashMap<>();
			long read = 0;
			for (TopicPartition partition : partitions) {
				long position;
				try {
					position = consumer.position(partition, Duration.ZERO);
				}
				catch (RuntimeException ex) {
					return;
				}
				if (!this.restore.settled(partition, position)) {
					return;
				}
				offsets.put(partition.topic(), position);
				read += position;
			}
			if (read - this.snapshotAt.getOrDefault(number, 0L) >= snapshots.every()) {
				int count = this.partitionCount;
				snapshots.write(number, offsets, this.state.snapshot((key) -> partitionOf(key, count) == number));
				this.snapshotAt.put(number, read);
			}
		});
	}

	private void startWork() {
		this.working = true;
		log.info("state caught up for every assigned partition; {} records waited for it", this.held.size());
		this.held.forEach(this::submit);
		this.held.clear();
		this.heldPer.clear();
		this.rewindTo.forEach((partition, offset) -> {
			long position = this.consumer.position(partition);
			log.info("{}: the work of records {} to {} did not fit while replaying; read again for it", partition,
					offset, position - 1);
			this.rereadUntil.put(partition, position);
			this.consumer.seek(partition, offset);
		});
		this.rewindTo.clear();
		onCaughtUp();
	}

	private void submit(Work work) {
		this.bus.lanes().submit(String.valueOf(work.record().key()), work);
	}

	/**
	 * Too much work waits in a partition (a long outage): stop reading it until half of
	 * it is done. Only replayed partitions: one still replaying must be read to the end.
	 * Decided here alone, on the consumer thread, so a pause and a resume never cross.
	 */
	private void pauseWhereBehind() {
		for (TopicPartition partition : this.restore.assigned()) {
			Long reread = this.rereadUntil.get(partition);
			if (reread != null) {
				if (this.consumer.position(partition) < reread) {
					// Its pending work is what is being read again: it must be read.
					continue;
				}
				this.rereadUntil.remove(partition);
			}
			int pending = this.restore.pending(partition);
			if (pending > this.bus.maxPending() && this.restore.replayed(partition) && this.paused.add(partition)) {
				log.warn("{} has {} records whose work is not done; paused until half of them are", partition, pending);
				this.container.pausePartition(partition);
			}
			else if (pending <= this.bus.maxPending() / 2 && this.paused.remove(partition)) {
				this.container.resumePartition(partition);
			}
		}
	}

	private void requireKnownApp(SpecificRecord event) {
		if (Events.metaOf(event).isPresent()) {
			TargetKey target = Events.target(event);
			if (!known(target.app())) {
				throw new UnknownAppException(target.app() + " is not in the catalog ("
						+ this.bus.catalog().getObject().appNames() + "); event " + Events.meta(event).getEventId()
						+ " of deploy " + Events.meta(event).getDeployId());
			}
		}
	}

	/** The work of one record. */
	private final class Work implements Lanes.Job {

		private final ConsumerRecord<String, SpecificRecord> record;

		private final SpecificRecord event;

		private final boolean uncertain;

		private final PartitionRestore.Handle handle;

		Work(ConsumerRecord<String, SpecificRecord> record, SpecificRecord event, boolean uncertain,
				PartitionRestore.Handle handle) {
			this.record = record;
			this.event = event;
			this.uncertain = uncertain;
			this.handle = handle;
		}

		ConsumerRecord<String, SpecificRecord> record() {
			return this.record;
		}

		TopicPartition partition() {
			return new TopicPartition(this.record.topic(), this.record.partition());
		}

		RestoringListener owner() {
			return RestoringListener.this;
		}

		@Override
		public String describe() {
			return Events.metaOf(this.event).map((meta) -> "deploy " + meta.getDeployId() + ": ").orElse("")
					+ this.event.getSchema().getName() + " at " + this.record.topic() + "-" + this.record.partition()
					+ "@" + this.record.offset();
		}

		@Override
		public void run(boolean retrying) {
			try {
				act(this.event, this.uncertain || retrying);
			}
			catch (RuntimeException ex) {
				if (Outage.of(ex).isPresent()) {
					throw ex;
				}
				log.error("{} failed; it goes to the dead-letter topic", describe(), ex);
				RestoringListener.this.bus.deadLetters().send(this.record, ex);
			}
		}

		@Override
		public void ended() {
			this.handle.done();
		}

	}

	/**
	 * Work the state asked for on catching up, in the lane of a target of a partition.
	 */
	private final class Redrive implements Lanes.Job {

		private final int partition;

		private final String what;

		private final Runnable work;

		Redrive(int partition, String what, Runnable work) {
			this.partition = partition;
			this.what = what;
			this.work = work;
		}

		int partition() {
			return this.partition;
		}

		RestoringListener owner() {
			return RestoringListener.this;
		}

		@Override
		public String describe() {
			return this.what;
		}

		@Override
		public void run(boolean retrying) {
			this.work.run();
		}

	}

}
