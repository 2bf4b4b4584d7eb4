package io.stopbob.platform.bus;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stopbob.platform.retry.Outage;
import io.stopbob.platform.retry.Outages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work per target: one job at a time per target, in the order given, and targets side by
 * side. A job that fails on an {@link Outage} waits (from {@code firstWait}, doubling, at
 * most {@code maxWait}) and runs again, for as long as the outage lasts, logging each
 * attempt; the target's later jobs wait behind it, other targets do not. Any other
 * failure ends the job, logged: what else to do about it (a dead letter, a FAILED deploy)
 * is the job's own decision, made inside {@link Job#run}.
 * <p>
 * A lane exists only while it has jobs, so memory is bounded by the work in flight, which
 * the caller bounds ({@link #pending()}). A lane that waits is reported to
 * {@link Outages}; the gauge {@code stop.work.pending} counts the jobs in all lanes.
 */
public final class Lanes implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Lanes.class);

	private final ExecutorService workers;

	private final ScheduledExecutorService timer;

	private final Duration firstWait;

	private final Duration maxWait;

	private final Outages outages;

	/** Guarded by {@code this}. */
	private final Map<String, Lane> lanes = new HashMap<>();

	private final AtomicInteger pending = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * @param name the threads' name prefix
	 * @param threads jobs that may run at once (each of another target)
	 * @param firstWait the wait after a job's first failure on an outage
	 * @param maxWait the longest wait between two attempts
	 */
	public Lanes(String name, int threads, Duration firstWait, Duration maxWait, MeterRegistry meters,
			Outages outages) {
		AtomicInteger count = new AtomicInteger();
		this.workers = Executors.newFixedThreadPool(threads,
				(task) -> daemon(task, name + "-" + count.incrementAndGet()));
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, name + "-waits"));
		this.firstWait = firstWait;
		this.maxWait = maxWait;
		this.outages = outages;
		Gauge.builder("stop.work.pending", this.pending, AtomicInteger::get)
			.description("jobs waiting or running, all targets")
			.register(meters);
	}

	/** Runs the job after every job given before for the same key. */
	public void submit(String key, Job job) {
		boolean start;
		synchronized (this) {
			Lane lane = this.lanes.computeIfAbsent(key, (ignored) -> new Lane());
			lane.jobs.add(job);
			this.pending.incrementAndGet();
			start = !lane.busy;
			lane.busy = true;
		}
		if (start) {
			execute(key);
		}
	}

	/**
	 * Drops the jobs that match: queued ones at once, a running or waiting one when its
	 * attempt ends. A dropped job never {@link Job#ended() ends}.
	 */
	public synchronized void cancel(Predicate<Job> which) {
		for (Lane lane : this.lanes.values()) {
			Job head = lane.jobs.peekFirst();
			int before = lane.jobs.size();
			lane.jobs.removeIf((job) -> job != head && which.test(job));
			this.pending.addAndGet(lane.jobs.size() - before);
			if (head != null && which.test(head)) {
				lane.headCancelled = true;
			}
		}
	}

	/** Jobs waiting or running, all targets. */
	public int pending() {
		return this.pending.get();
	}

	private void execute(String key) {
		try {
			this.workers.execute(() -> runHead(key));
		}
		catch (RejectedExecutionException closing) {
			log.debug("lane {} not run: shutting down", key);
		}
	}

	private void runHead(String key) {
		Job job;
		int attempt;
		synchronized (this) {
			Lane lane = this.lanes.get(key);
			job = lane.jobs.peekFirst();
			if (job == null || this.closed) {
				this.lanes.remove(key);
				return;
			}
			if (lane.headCancelled) {
				finishHead(key, lane);
				execute(key);
				return;
			}
			attempt = lane.attempt;
		}
		Optional<Outage> outage = attempt(job, attempt);
		boolean ended;
		synchronized (this) {
			Lane lane = this.lanes.get(key);
			if (outage.isPresent() && !lane.headCancelled && !this.closed) {
				Duration wait = waitBefore(attempt + 1);
				log.warn("{} waits for {} ({}); attempt {} failed, next in {} ms", job.describe(),
						outage.get().system(), outage.get().reason(), attempt, wait.toMillis());
				this.outages.waiting("lane " + key, outage.get());
				lane.attempt = attempt + 1;
				try {
					this.timer.schedule(() -> execute(key), wait.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException closing) {
					log.debug("lane {} not retried: shutting down", key);
				}
				return;
			}
			ended = outage.isEmpty() && !lane.headCancelled;
			if (ended && attempt > 1) {
				log.info("{} went through on attempt {}", job.describe(), attempt);
			}
			finishHead(key, lane);
		}
		if (ended) {
			try {
				job.ended();
			}
			catch (RuntimeException ex) {
				log.error("{} went through, and telling so failed", job.describe(), ex);
			}
		}
		execute(key);
	}

	/** Runs one attempt; the outage it met, if that is how it failed. */
	private Optional<Outage> attempt(Job job, int attempt) {
		try {
			job.run(attempt > 1);
			return Optional.empty();
		}
		catch (Exception | LinkageError | StackOverflowError ex) {
			// Whatever an attempt throws, the lane goes on: a job ends or waits, it never
			// stops its target's lane.
			Optional<Outage> outage = Outage.of(ex);
			if (outage.isEmpty()) {
				log.error("{} failed and is not tried again", job.describe(), ex);
			}
			return outage;
		}
	}

	private void finishHead(String key, Lane lane) {
		lane.jobs.pollFirst();
		this.pending.decrementAndGet();
		lane.attempt = 1;
		lane.headCancelled = false;
		this.outages.over("lane " + key);
	}

	private Duration waitBefore(int attempt) {
		long base = this.firstWait.toMillis() << Math.min(attempt - 2, 20);
		long capped = Math.min(base, this.maxWait.toMillis());
		// A little jitter, so targets that waited for the same outage do not all call at
		// once when it ends.
		return Duration.ofMillis(capped - ThreadLocalRandom.current().nextLong(Math.max(1, capped / 10)));
	}

	@Override
	public void close() {
		this.closed = true;
		this.timer.shutdownNow();
		this.workers.shutdownNow();
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	/** One piece of work for a target. */
	public interface Job {

		/** What the job is for logs, with the deploy it serves. */
		String describe();

		/**
		 * One attempt. Throwing an {@link Outage} makes it wait and run again; anything
		 * else ends it.
		 * @param retrying an earlier attempt may have done part of it: look first
		 */
		void run(boolean retrying) throws Exception;

		/**
		 * The job is over: it went through, or failed in a way that waiting cannot fix
		 * (logged). Not called for a job dropped by {@link Lanes#cancel}.
		 */
		default void ended() {
		}

	}

	private static final class Lane {

		private final Deque<Job> jobs = new ArrayDeque<>();

		private boolean busy;

		private int attempt = 1;

		private boolean headCancelled;

	}

}
