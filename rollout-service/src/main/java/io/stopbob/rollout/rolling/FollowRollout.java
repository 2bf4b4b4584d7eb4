package io.stopbob.rollout.rolling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Progressed;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Environment;
import io.stopbob.platform.catalog.Rollout;
import io.stopbob.platform.retry.Outage;
import io.stopbob.platform.retry.Outages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls a built release out and follows it to its one outcome: progress is published only
 * when something changed, and the end is {@code SUCCEEDED}, {@code ROLLED_BACK} (naming
 * what failed where) or {@code FAILED}. Event ids come from the deploy and the state they
 * report, so a restart that reports the same state again makes no second message.
 */
public class FollowRollout {

	private static final Logger log = LoggerFactory.getLogger(FollowRollout.class);

	private final Catalog catalog;

	private final Ledger ledger;

	private final Map<Rollout.Backend, RolloutBackend> backends;

	private final RolloutEvents events;

	private final Outages outages;

	private final ScheduledExecutorService scheduler;

	private final Clock clock;

	private final Duration pollInterval;

	private final Duration startBuiltWithin;

	private final String producer;

	private static final long BUSY_RETRY_MILLIS = 50;

	private final Map<String, Followed> following = new ConcurrentHashMap<>();

	public FollowRollout(Catalog catalog, Ledger ledger, Map<Rollout.Backend, RolloutBackend> backends,
			RolloutEvents events, Outages outages, ScheduledExecutorService scheduler, Clock clock,
			Duration pollInterval, Duration startBuiltWithin, String producer) {
		this.catalog = catalog;
		this.ledger = ledger;
		this.backends = backends;
		this.events = events;
		this.outages = outages;
		this.scheduler = scheduler;
		this.clock = clock;
		this.pollInterval = pollInterval;
		this.startBuiltWithin = startBuiltWithin;
		this.producer = producer;
	}

	/**
	 * Starts the rollout of a built deploy, or follows again the one its backend already
	 * has (after a restart or a redelivery). A release built longer ago than
	 * {@code startBuiltWithin} is not started: a service back from an outage must not
	 * roll out what nobody waits for any more. It stays built until someone re-drives it
	 * ({@code bin/stop replay --deploy}), which publishes its build again.
	 */
	public void built(Deploy deploy) {
		if (deploy.finished() || deploy.build().isEmpty() || this.following.containsKey(deploy.deployId())) {
			return;
		}
		Optional<RolloutRequest> request = request(deploy);
		if (request.isEmpty()) {
			finish(deploy, Outcome.FAILED, deploy.target() + " has no rollout in the catalog");
			return;
		}
		RolloutBackend backend = this.backends.get(request.get().settings().backend());
		if (backend == null) {
			finish(deploy, Outcome.FAILED, "no " + request.get().settings().backend() + " backend is configured here");
			return;
		}
		try {
			Optional<String> found = backend.find(request.get());
			Instant builtAt = deploy.build().get().meta().occurredAt();
			if (found.isEmpty() && builtAt.isBefore(this.clock.instant().minus(this.startBuiltWithin))) {
				log.warn(
						"deploy {} of {} was built at {} and never rolled out; a release built more than {} ago is"
								+ " not started. Re-drive it with `bin/stop replay --deploy {}` if it is still wanted.",
						deploy.deployId(), deploy.target(), builtAt, this.startBuiltWithin, deploy.deployId());
				return;
			}
			String deploymentId = found.orElseGet(() -> backend.start(request.get()));
			log.info("deploy {} rolling out as {} on {}", deploy.deployId(), deploymentId,
					request.get().settings().backend());
			Followed followed = new Followed(request.get(), backend, deploymentId);
			this.following.put(deploy.deployId(), followed);
			schedule(followed, Duration.ZERO);
			followed.watch = backend.watch(request.get(), deploymentId, () -> {
				followed.changed = true;
				schedule(followed, Duration.ZERO);
			});
			if (this.following.get(deploy.deployId()) != followed) {
				// Finished while its watches were being opened.
				close(followed);
			}
		}
		catch (RuntimeException ex) {
			if (Outage.of(ex).isPresent()) {
				// The backend is away: the deploy waits for it, and starts (or is found
				// started) when it answers.
				throw ex;
			}
			log.error("deploy {} could not start its rollout", deploy.deployId(), ex);
			finish(deploy, Outcome.FAILED, "the rollout could not start: " + ex.getMessage());
		}
	}

	/**
	 * Another service ended the deploy: stop its rollout, and put the fleet back. An
	 * outage of the backend is thrown, to be waited out: the rollout is followed until it
	 * is stopped.
	 */
	public void endedElsewhere(String deployId) {
		Followed followed = this.following.get(deployId);
		if (followed == null) {
			return;
		}
		followed.lock.lock();
		try {
			followed.backend().stop(followed.request(), followed.deploymentId());
		}
		catch (RuntimeException ex) {
			if (Outage.of(ex).isPresent()) {
				throw ex;
			}
			log.error("deploy {} ended elsewhere, and stopping its rollout {} failed: put the fleet right by hand",
					deployId, followed.deploymentId(), ex);
		}
		finally {
			followed.lock.unlock();
		}
		unfollow(deployId);
	}

	/**
	 * The next poll of this rollout, which replaces any scheduled before it; now, if the
	 * backend reported a change meanwhile.
	 */
	private void schedule(Followed followed, Duration delay) {
		Duration wait = followed.changed ? Duration.ZERO : delay;
		long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, this.pollInterval.toMillis() / 5));
		scheduleIn(followed, wait.toMillis() + (wait.isZero() ? 0 : jitter));
	}

	private void scheduleIn(Followed followed, long millis) {
		long ticket = followed.tickets.incrementAndGet();
		try {
			this.scheduler.schedule(() -> poll(followed, ticket), millis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException shuttingDown) {
			log.debug("deploy {}: not polled again, the service is stopping", followed.request().deployId());
		}
	}

	/**
	 * One poll at a time per rollout, and only the latest one scheduled. A poll that
	 * finds another running tries again shortly, so the latest scheduled always runs.
	 */
	private void poll(Followed followed, long ticket) {
		if (ticket != followed.tickets.get()) {
			return;
		}
		if (!followed.lock.tryLock()) {
			// This is now the latest poll scheduled: it must run, after the one running.
			followed.changed = true;
			scheduleIn(followed, BUSY_RETRY_MILLIS);
			return;
		}
		try {
			followed.changed = false;
			poll(followed);
		}
		finally {
			followed.lock.unlock();
		}
	}

	private static String waiting(String deployId) {
		return "rollout of " + deployId;
	}

	private Followed unfollow(String deployId) {
		this.outages.over(waiting(deployId));
		Followed followed = this.following.remove(deployId);
		if (followed != null) {
			close(followed);
		}
		return followed;
	}

	private static void close(Followed followed) {
		AutoCloseable watch = followed.watch;
		if (watch != null) {
			try {
				watch.close();
			}
			catch (Exception ex) {
				log.debug("closing the watch of {} failed: {}", followed.deploymentId(), ex.getMessage());
			}
		}
	}

	private void poll(Followed followed) {
		String deployId = followed.request().deployId();
		if (!this.following.containsKey(deployId)) {
			return;
		}
		RolloutStatus status;
		try {
			status = followed.backend().status(followed.request(), followed.deploymentId());
		}
		catch (RuntimeException ex) {
			log.warn("status of {} for deploy {} unavailable, asking again: {}", followed.deploymentId(), deployId,
					ex.getMessage());
			Outage.of(ex).ifPresent((outage) -> this.outages.waiting(waiting(deployId), outage));
			schedule(followed, this.pollInterval.multipliedBy(2));
			return;
		}
		this.outages.over(waiting(deployId));
		Deploy deploy = this.ledger.find(deployId).orElse(null);
		if (deploy == null) {
			unfollow(deployId);
			return;
		}
		if (deploy.finished()) {
			// Ended by another service: endedElsewhere stops the rollout, then unfollows.
			return;
		}
		try {
			if (!status.equals(followed.last)) {
				publish(progress(deploy, followed, status));
				followed.last = status;
			}
			if (!status.finished()) {
				schedule(followed, this.pollInterval);
				return;
			}
			switch (status.state()) {
				case SUCCEEDED -> finish(deploy, Outcome.SUCCEEDED, null);
				case ROLLED_BACK -> finish(deploy, Outcome.ROLLED_BACK, failures(status));
				default -> finish(deploy, Outcome.FAILED, failures(status));
			}
		}
		catch (RuntimeException ex) {
			// The broker may be away: keep following, and publish when it is back.
			log.warn("deploy {}: could not publish its progress, trying again: {}", deployId, ex.getMessage());
			Outage.of(ex).ifPresent((outage) -> this.outages.waiting(waiting(deployId), outage));
			schedule(followed, this.pollInterval.multipliedBy(2));
			return;
		}
		// Only now: until the end is in the ledger, a replayed build must still see
		// this rollout as followed, not start following it a second time.
		unfollow(deployId);
	}

	private Progressed progress(Deploy deploy, Followed followed, RolloutStatus status) {
		var counts = status.instances();
		String eventId = deploy.deployId() + ":progress:" + status.state() + ":" + counts.succeeded() + ":"
				+ counts.failed() + ":" + counts.inProgress() + ":" + counts.pending();
		return new Progressed(
				new Meta(eventId, deploy.deployId(), deploy.target(), this.clock.instant(), this.producer),
				followed.deploymentId(), status.state().name(), counts, status.batch(), status.batches(),
				status.failures(), status.message());
	}

	private static String failures(RolloutStatus status) {
		String where = status.failures()
			.stream()
			.map((failure) -> failure.instanceId() + " failed "
					+ ((failure.lifecycleEvent() != null) ? failure.lifecycleEvent() : "its deployment")
					+ ((failure.message() != null) ? " (" + failure.message() + ")" : ""))
			.collect(Collectors.joining("; "));
		return (where.isEmpty() ? "" : where + ". ") + ((status.message() != null) ? status.message() : "");
	}

	private void finish(Deploy deploy, Outcome outcome, String reason) {
		Finished finished = new Finished(
				new Meta(deploy.deployId() + ":finished", deploy.deployId(), deploy.target(), this.clock.instant(),
						this.producer),
				outcome, "ROLLOUT", (reason != null && !reason.isBlank()) ? reason.strip() : null,
				deploy.build().map(Built::sha).orElse(null),
				deploy.requestedAt().map((at) -> Duration.between(at, this.clock.instant()).toMillis()).orElse(null));
		publish(finished);
		log.info("deploy {} {}{}", deploy.deployId(), outcome, (reason != null) ? ": " + reason : "");
	}

	private void publish(PipelineEvent event) {
		this.events.publish(event);
		this.ledger.apply(event);
	}

	private Optional<RolloutRequest> request(Deploy deploy) {
		Optional<App> app = this.catalog.app(deploy.target().app());
		Optional<Environment> environment = app.flatMap((found) -> found.environment(deploy.target().environment()));
		Built build = deploy.build().orElseThrow();
		return environment.map((env) -> new RolloutRequest(deploy.deployId(), deploy.target(), build.sha(), build.tag(),
				app.get().repository(), env.rollout()));
	}

	/** A rollout being followed, and the last status published for it. */
	private static final class Followed {

		private final RolloutRequest request;

		private final RolloutBackend backend;

		private final String deploymentId;

		private RolloutStatus last;

		private final AtomicLong tickets = new AtomicLong();

		private final ReentrantLock lock = new ReentrantLock();

		/** The backend reported a change since the last poll began. */
		private volatile boolean changed;

		private volatile AutoCloseable watch;

		Followed(RolloutRequest request, RolloutBackend backend, String deploymentId) {
			this.request = request;
			this.backend = backend;
			this.deploymentId = deploymentId;
		}

		RolloutRequest request() {
			return this.request;
		}

		RolloutBackend backend() {
			return this.backend;
		}

		String deploymentId() {
			return this.deploymentId;
		}

	}

}
