package io.stopbob.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.stopbob.platform.memory.Bounded;

/**
 * The projection of the pipeline topics: the deploys in flight and a window of the newest
 * finished ones by id, and what is in flight per target. Rebuilt by applying the topics
 * from the beginning; applying an event twice changes nothing. Writes come from one
 * consumer thread; reads (a request checking its target) from any.
 *
 * <p>
 * Memory is bounded by {@link Limits}: past the window the oldest finished deploy is
 * forgotten, and each target remembers when the newest deploy it forgot finished. An
 * event of a deploy not held, from then or before, is of a forgotten deploy (all of a
 * deploy's events happen by its finish, and a deploy asked for later than that finish is
 * held until it finishes): it is recognized and changes nothing. What runs on each target
 * and its latest green builds are kept apart from the window.
 */
public final class Ledger {

	private final Limits limits;

	private final Map<String, Deploy> deploys = new ConcurrentHashMap<>();

	/** The finished deploys held, in the order they finished: the oldest goes first. */
	private final LinkedHashMap<String, Deploy> finished = new LinkedHashMap<>();

	/**
	 * Names finished deploys repeat (producers, people, channels, CI checks), held once;
	 * the least used are dropped first, which only costs a copy.
	 */
	private final Map<String, String> sharedValues = Bounded.recentlyUsed(10_000);

	private final Map<Target, Target> sharedTargets = Bounded.recentlyUsed(10_000);

	/** Per target, when the newest deploy forgotten finished. */
	private final Map<Target, Instant> forgottenUntil = new ConcurrentHashMap<>();

	/** Counts applied events, so a deploy knows where its request stood in the log. */
	private long applied;

	/**
	 * Each target's newest successful deploys, the newest first, held apart from the
	 * window: what runs there now, and where a rollback may go.
	 */
	private final Map<Target, List<Deploy>> releases = new ConcurrentHashMap<>();

	/**
	 * The latest green builds per target by SHA: a rollback to a SHA that passed need not
	 * wait for CI.
	 */
	private final Map<Target, Map<String, PipelineEvent.Built>> passedBuilds = new ConcurrentHashMap<>();

	/**
	 * Deploys in flight per target, kept beside the map so a request's check does not
	 * scan history.
	 */
	private final Map<Target, Map<String, Deploy>> inFlight = new ConcurrentHashMap<>();

	/** Told of each finished deploy as it is forgotten. */
	private final Consumer<Deploy> forgetting;

	public Ledger() {
		this(Limits.DEFAULT);
	}

	public Ledger(Limits limits) {
		this(limits, (deploy) -> {
		});
	}

	/**
	 * A ledger that hands each deploy it forgets to {@code forgetting} first: a read of
	 * older history sums up what it cannot hold.
	 */
	public Ledger(Limits limits, Consumer<Deploy> forgetting) {
		this.limits = limits;
		this.forgetting = forgetting;
	}

	/**
	 * Records the event on its deploy.
	 * @return the deploy, and whether the event was new to it; nothing for an event of a
	 * forgotten deploy
	 */
	public synchronized Applied apply(PipelineEvent event) {
		Target target = this.sharedTargets.computeIfAbsent(event.meta().target(), (same) -> same);
		Deploy deploy = this.deploys.get(event.deployId());
		if (deploy == null) {
			Instant until = this.forgottenUntil.get(target);
			if (until != null && !event.meta().occurredAt().isAfter(until)) {
				return new Applied(Optional.empty(), false);
			}
			deploy = new Deploy(event.deployId(), target);
			this.deploys.put(deploy.deployId(), deploy);
		}
		boolean fresh = deploy.apply(event, ++this.applied, this::shared);
		// Only a build of the pipeline's own chain may spare a rollback its CI.
		if (event instanceof PipelineEvent.Built built && deploy.brokenLink().isEmpty()) {
			this.passedBuilds
				.computeIfAbsent(deploy.target(), (key) -> Bounded.newest(this.limits.greenBuildsPerTarget()))
				.putIfAbsent(built.sha(), built);
		}
		if (event instanceof PipelineEvent.Finished finished && finished.outcome() == PipelineEvent.Outcome.SUCCEEDED
				&& deploy.finish()
					.filter((first) -> first.meta().eventId().equals(finished.meta().eventId()))
					.isPresent()) {
			released(deploy);
		}
		if (deploy.inFlight()) {
			this.inFlight.computeIfAbsent(deploy.target(), (key) -> new ConcurrentHashMap<>())
				.put(deploy.deployId(), deploy);
		}
		else {
			Map<String, Deploy> ofTarget = this.inFlight.get(deploy.target());
			if (ofTarget != null) {
				ofTarget.remove(deploy.deployId());
			}
		}
		if (deploy.finished() && this.finished.putIfAbsent(deploy.deployId(), deploy) == null) {
			forgetBeyondTheWindow();
		}
		return new Applied(Optional.of(deploy), fresh);
	}

	private void released(Deploy succeeded) {
		this.releases.merge(succeeded.target(), List.of(succeeded),
				(current, added) -> Stream.concat(current.stream(), Stream.of(succeeded))
					.filter((each) -> each == succeeded || !each.deployId().equals(succeeded.deployId()))
					.sorted(Comparator.comparing(Ledger::finishedAt).reversed())
					.limit(this.limits.releasesPerTarget())
					.toList());
	}

	/**
	 * What rebuilds this ledger's state of the targets {@code of} accepts: the events of
	 * the deploys it holds (the finished in the order they finished, then the rest in the
	 * order they were asked for), those of releases and green builds it keeps beyond
	 * them, and when each target's newest forgotten deploy finished.
	 */
	public synchronized Snapshot snapshot(Predicate<Target> of) {
		List<PipelineEvent> held = new ArrayList<>();
		this.finished.values()
			.stream()
			.filter((deploy) -> of.test(deploy.target()))
			.forEach((deploy) -> held.addAll(deploy.events()));
		this.deploys.values()
			.stream()
			.filter((deploy) -> of.test(deploy.target()) && !this.finished.containsKey(deploy.deployId()))
			.sorted(Comparator.comparingLong(Deploy::sequence))
			.forEach((deploy) -> held.addAll(deploy.events()));
		List<PipelineEvent> kept = new ArrayList<>();
		Set<String> keptDeploys = new HashSet<>();
		this.releases.forEach((target, released) -> {
			if (of.test(target)) {
				// The oldest first, as they were released.
				IntStream.range(0, released.size())
					.mapToObj((index) -> released.get(released.size() - 1 - index))
					.filter((deploy) -> !this.deploys.containsKey(deploy.deployId())
							&& keptDeploys.add(deploy.deployId()))
					.forEach((deploy) -> kept.addAll(deploy.events()));
			}
		});
		this.passedBuilds.forEach((target, builds) -> {
			if (of.test(target)) {
				builds.values()
					.stream()
					.filter((built) -> !this.deploys.containsKey(built.deployId())
							&& !keptDeploys.contains(built.deployId()))
					.forEach(kept::add);
			}
		});
		Map<Target, Instant> forgotten = new HashMap<>();
		this.forgottenUntil.forEach((target, until) -> {
			if (of.test(target)) {
				forgotten.put(target, until);
			}
		});
		return new Snapshot(held, kept, forgotten);
	}

	/**
	 * Applies a {@link #snapshot} read back, into a ledger {@link #clear cleared} of its
	 * targets: the same deploys, releases, green builds and forgotten times as when it
	 * was taken.
	 */
	public synchronized void restore(Snapshot snapshot) {
		Map<String, Deploy> outside = new LinkedHashMap<>();
		for (PipelineEvent event : snapshot.kept()) {
			if (event instanceof PipelineEvent.Built built && !outside.containsKey(built.deployId())) {
				// A green build of a deploy forgotten: it may still spare a rollback its
				// CI.
				this.passedBuilds
					.computeIfAbsent(built.meta().target(), (key) -> Bounded.newest(this.limits.greenBuildsPerTarget()))
					.putIfAbsent(built.sha(), built);
				continue;
			}
			Target target = this.sharedTargets.computeIfAbsent(event.meta().target(), (same) -> same);
			outside.computeIfAbsent(event.deployId(), (id) -> new Deploy(id, target))
				.apply(event, ++this.applied, this::shared);
		}
		outside.values().forEach((deploy) -> {
			deploy.build()
				.filter((built) -> deploy.brokenLink().isEmpty())
				.ifPresent((built) -> this.passedBuilds
					.computeIfAbsent(deploy.target(), (key) -> Bounded.newest(this.limits.greenBuildsPerTarget()))
					.putIfAbsent(built.sha(), built));
			if (deploy.finish().filter((end) -> end.outcome() == PipelineEvent.Outcome.SUCCEEDED).isPresent()) {
				released(deploy);
			}
		});
		snapshot.held().forEach(this::apply);
		snapshot.forgottenUntil()
			.forEach((target, until) -> this.forgottenUntil.merge(
					this.sharedTargets.computeIfAbsent(target, (same) -> same), until,
					(current, candidate) -> candidate.isAfter(current) ? candidate : current));
	}

	/**
	 * Forgets everything of the targets {@code of} accepts, before they are restored or
	 * replayed: what is held of them may be behind.
	 */
	public synchronized void clear(Predicate<Target> of) {
		this.deploys.values().removeIf((deploy) -> of.test(deploy.target()));
		this.finished.values().removeIf((deploy) -> of.test(deploy.target()));
		this.releases.keySet().removeIf(of);
		this.passedBuilds.keySet().removeIf(of);
		this.inFlight.keySet().removeIf(of);
		this.forgottenUntil.keySet().removeIf(of);
	}

	/**
	 * What rebuilds a ledger's state of some targets.
	 *
	 * @param held events of the deploys it holds, in the order to apply them
	 * @param kept events of releases and green builds it keeps beyond those
	 * @param forgottenUntil per target, when its newest forgotten deploy finished
	 */
	public record Snapshot(List<PipelineEvent> held, List<PipelineEvent> kept, Map<Target, Instant> forgottenUntil) {
	}

	/** One copy of a value many finished deploys repeat (null stays null). */
	private String shared(String value) {
		return (value != null) ? this.sharedValues.computeIfAbsent(value, (same) -> same) : null;
	}

	private void forgetBeyondTheWindow() {
		Iterator<Deploy> oldest = this.finished.values().iterator();
		while (this.finished.size() > this.limits.finishedDeploys()) {
			Deploy forgotten = oldest.next();
			oldest.remove();
			this.forgetting.accept(forgotten);
			this.deploys.remove(forgotten.deployId());
			this.forgottenUntil.merge(forgotten.target(), forgotten.finish().orElseThrow().meta().occurredAt(),
					(current, candidate) -> candidate.isAfter(current) ? candidate : current);
		}
	}

	public Optional<Deploy> find(String deployId) {
		return Optional.ofNullable(this.deploys.get(deployId));
	}

	/**
	 * The deploy of this target that was asked for and has not finished, the oldest
	 * first.
	 */
	public Optional<Deploy> inFlight(Target target) {
		return this.inFlight.getOrDefault(target, Map.of())
			.values()
			.stream()
			.min(Comparator.comparing((Deploy deploy) -> deploy.requestedAt().orElseThrow()));
	}

	/** What runs on the target now: its newest successful deploy. */
	public Optional<Deploy> lastSucceeded(Target target) {
		return releases(target).stream().findFirst();
	}

	/**
	 * The target's newest successful deploys, the newest first (at most
	 * {@link Limits#releasesPerTarget}), however long ago they finished.
	 */
	public List<Deploy> releases(Target target) {
		return this.releases.getOrDefault(target, List.of());
	}

	/** How many successful deploys per target {@link #releases} holds at most. */
	public int releasesHeld() {
		return this.limits.releasesPerTarget();
	}

	private static Instant finishedAt(Deploy deploy) {
		return deploy.finish().orElseThrow().meta().occurredAt();
	}

	/** The green build of this SHA on this target, if it ever had one. */
	public Optional<PipelineEvent.Built> passedBuild(Target target, String sha) {
		return Optional.ofNullable(this.passedBuilds.getOrDefault(target, Map.of()).get(sha));
	}

	/** Deploys in flight that have their tag, of the requested SHA, and wait for CI. */
	public List<Deploy> awaitingBuild() {
		return this.inFlight.values()
			.stream()
			.flatMap((deploys) -> deploys.values().stream())
			.filter((deploy) -> deploy.tag().isPresent() && deploy.build().isEmpty() && deploy.brokenLink().isEmpty())
			.toList();
	}

	/** Deploys in flight that were asked for and have no tag yet. */
	public List<Deploy> awaitingTag() {
		return this.inFlight.values()
			.stream()
			.flatMap((deploys) -> deploys.values().stream())
			.filter((deploy) -> deploy.tag().isEmpty())
			.sorted(Comparator.comparingLong(Deploy::sequence))
			.toList();
	}

	/**
	 * Deploys of the target asked for before this one (in the log's order) and still in
	 * flight, the oldest first: the first request holds the target, whenever it is looked
	 * at.
	 */
	public List<Deploy> inFlightBefore(Target target, String deployId) {
		long sequence = find(deployId).map(Deploy::sequence).orElse(Long.MAX_VALUE);
		return this.inFlight.getOrDefault(target, Map.of())
			.values()
			.stream()
			.filter((deploy) -> deploy.sequence() < sequence)
			.sorted(Comparator.comparingLong(Deploy::sequence))
			.toList();
	}

	/** The target's deploys that were asked for, the newest first. */
	public List<Deploy> history(Target target) {
		return this.deploys.values()
			.stream()
			.filter((deploy) -> deploy.target().equals(target) && deploy.request().isPresent())
			.sorted(Comparator.comparing((Deploy deploy) -> deploy.requestedAt().orElseThrow()).reversed())
			.toList();
	}

	public List<Deploy> all() {
		return List.copyOf(this.deploys.values());
	}

	public int size() {
		return this.deploys.size();
	}

	/**
	 * When the newest deploy of the target that this ledger forgot finished: its history
	 * before then is in the log only.
	 */
	public Optional<Instant> forgottenUntil(Target target) {
		return Optional.ofNullable(this.forgottenUntil.get(target));
	}

	/** The result of applying one event: its deploy, unless it was forgotten. */
	public record Applied(Optional<Deploy> deploy, boolean fresh) {
	}

	/**
	 * How much the ledger holds.
	 *
	 * @param finishedDeploys finished deploys held for history, stats and the dashboard
	 * @param greenBuildsPerTarget the latest green builds per target a rollback may reuse
	 * @param releasesPerTarget the newest successful deploys per target, held whatever
	 * the window
	 */
	public record Limits(int finishedDeploys, int greenBuildsPerTarget, int releasesPerTarget) {

		public static final Limits DEFAULT = new Limits(20_000, 100, 20);

		public Limits {
			if (finishedDeploys < 1 || greenBuildsPerTarget < 1 || releasesPerTarget < 1) {
				throw new IllegalArgumentException(
						"a ledger holds at least one finished deploy, green build and release");
			}
		}

		/** A window of {@code finishedDeploys}, the rest as by default. */
		public static Limits window(int finishedDeploys) {
			return new Limits(finishedDeploys, DEFAULT.greenBuildsPerTarget, DEFAULT.releasesPerTarget);
		}

	}

}
