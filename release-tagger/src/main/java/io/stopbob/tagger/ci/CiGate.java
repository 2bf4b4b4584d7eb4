package io.stopbob.tagger.ci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Environment;
import io.stopbob.platform.retry.Outage;
import io.stopbob.platform.retry.Outages;
import io.stopbob.tagger.ci.CiStatus.CiResult;
import io.stopbob.tagger.tagging.GitHostException;
import io.stopbob.tagger.tagging.PipelineEvents;
import io.stopbob.tagger.tagging.ReleaseNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for CI on a deploy's tag: polls with backoff (webhooks get lost) and checks at
 * once when a webhook says something changed. The first verdict wins and is the only one:
 * green publishes {@code BuildPassed}, red or a timeout ends the deploy at the build
 * stage. A rollback to a SHA that already passed on the target reuses that result and
 * waits for nothing. CI or the broker being away only makes it ask again later.
 */
public class CiGate {

	private static final Logger log = LoggerFactory.getLogger(CiGate.class);

	private final Catalog catalog;

	private final Ledger ledger;

	private final CiStatus ci;

	private final PipelineEvents events;

	private final Outages outages;

	private final ScheduledExecutorService scheduler;

	private final Clock clock;

	private final Duration firstPoll;

	private final Duration maxPoll;

	private final String producer;

	/** Deploys being polled; each leaves when it is settled. */
	private final Set<String> watching = ConcurrentHashMap.newKeySet();

	public CiGate(Catalog catalog, Ledger ledger, CiStatus ci, PipelineEvents events, Outages outages,
			ScheduledExecutorService scheduler, Clock clock, Duration firstPoll, Duration maxPoll, String producer) {
		this.catalog = catalog;
		this.ledger = ledger;
		this.ci = ci;
		this.events = events;
		this.outages = outages;
		this.scheduler = scheduler;
		this.clock = clock;
		this.firstPoll = firstPoll;
		this.maxPoll = maxPoll;
		this.producer = producer;
	}

	/** Starts (or resumes, after a restart) waiting for CI on the deploy's tag. */
	public void watch(Deploy deploy) {
		if (settled(deploy) || deploy.tag().isEmpty()) {
			return;
		}
		Tagged tag = deploy.tag().get();
		if (tag.kind() == Kind.ROLLBACK) {
			var earlier = this.ledger.passedBuild(deploy.target(), tag.sha());
			if (earlier.isPresent()) {
				decide(deploy, new Built(meta(deploy, "build-passed"), tag.sha(), tag.tag(), earlier.get().ciProvider(),
						earlier.get().checks(), earlier.get().buildUrl(), true));
				return;
			}
		}
		if (this.watching.add(deploy.deployId())) {
			schedule(deploy.deployId(), Duration.ZERO, this.firstPoll);
		}
	}

	/** A webhook says CI changed for this commit: check the deploys waiting on it now. */
	public void poke(String sha) {
		for (Deploy deploy : this.ledger.awaitingBuild()) {
			if (deploy.tag().map((tag) -> tag.sha().equals(sha)).orElse(false)) {
				this.scheduler.execute(() -> safeCheck(deploy.deployId()));
			}
		}
	}

	private void schedule(String deployId, Duration delay, Duration next) {
		this.scheduler.schedule(() -> {
			if (safeCheck(deployId)) {
				schedule(deployId, next, min(next.multipliedBy(3).dividedBy(2), this.maxPoll));
			}
		}, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * A check that cannot kill its schedule: a surprise is logged and the deploy keeps
	 * waiting.
	 */
	private boolean safeCheck(String deployId) {
		try {
			return check(deployId);
		}
		catch (RuntimeException ex) {
			Outage.of(ex).ifPresent((outage) -> this.outages.waiting(waiting(deployId), outage));
			log.error("checking CI for deploy {} failed; will ask again", deployId, ex);
			return true;
		}
	}

	/** Returns true while the deploy still waits. */
	private boolean check(String deployId) {
		Deploy deploy = this.ledger.find(deployId).orElse(null);
		if (deploy == null || settled(deploy) || deploy.tag().isEmpty()) {
			this.watching.remove(deployId);
			return false;
		}
		Tagged tag = deploy.tag().get();
		Environment environment = this.catalog.app(deploy.target().app())
			.flatMap((app) -> app.environment(deploy.target().environment()))
			.orElse(null);
		if (environment == null) {
			return false;
		}
		String repository = this.catalog.app(deploy.target().app()).orElseThrow().repository();
		CiResult result;
		try {
			result = this.ci.status(repository, tag.tag(), tag.sha(), tag.meta().occurredAt(), environment.ci());
		}
		catch (GitHostException ex) {
			if (ex.permanent()) {
				decide(deploy, failed(deploy, ex.getMessage()));
				return false;
			}
			// Not an answer: CI's timeout runs only on what CI says, never on an outage.
			log.warn("CI status of {} for deploy {} unavailable, asking again later: {}", tag.sha(), deployId,
					ex.getMessage());
			this.outages.waiting(waiting(deployId), new Outage(ex.system(), ex.getMessage()));
			return true;
		}
		this.outages.over(waiting(deployId));
		if (result instanceof CiResult.Green green) {
			decide(deploy, new Built(meta(deploy, "build-passed"), tag.sha(), tag.tag(), this.ci.provider(),
					green.checks(), green.url(), false));
			return false;
		}
		if (result instanceof CiResult.Red red) {
			decide(deploy,
					failed(deploy,
							"check " + red.check() + " failed"
									+ ((red.detail() != null) ? " (" + red.detail() + ")" : "")
									+ ((red.url() != null) ? ": " + red.url() : "")));
			return false;
		}
		Instant deadline = tag.meta().occurredAt().plus(environment.ci().timeout());
		if (this.clock.instant().isAfter(deadline)) {
			decide(deploy, failed(deploy, "CI did not finish within " + environment.ci().timeout().toMinutes()
					+ " min; still waiting for " + ((CiResult.Pending) result).waitingFor()));
			return false;
		}
		return true;
	}

	/**
	 * Publishes the first verdict, once: a webhook and a poll may decide at the same
	 * moment, so they take turns on the deploy, and whoever comes second finds it settled
	 * in the ledger. Nothing is marked before the verdict is on the log: if publishing
	 * fails, the next check decides again.
	 */
	private void decide(Deploy deploy, PipelineEvent verdict) {
		synchronized (deploy) {
			if (settled(deploy)) {
				return;
			}
			this.events.publish(verdict);
			this.ledger.apply(verdict);
		}
		this.watching.remove(deploy.deployId());
		this.outages.over(waiting(deploy.deployId()));
	}

	private static String waiting(String deployId) {
		return "CI of " + deployId;
	}

	private boolean settled(Deploy deploy) {
		return deploy.build().isPresent() || deploy.finished();
	}

	private Finished failed(Deploy deploy, String reason) {
		return new Finished(meta(deploy, "finished"), Outcome.FAILED, "BUILD", reason,
				deploy.tag().map(Tagged::sha).orElse(null),
				deploy.requestedAt().map((at) -> Duration.between(at, this.clock.instant()).toMillis()).orElse(null));
	}

	private Meta meta(Deploy deploy, String what) {
		return new Meta(ReleaseNames.eventId(deploy.deployId(), what), deploy.deployId(), deploy.target(),
				this.clock.instant(), this.producer);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
