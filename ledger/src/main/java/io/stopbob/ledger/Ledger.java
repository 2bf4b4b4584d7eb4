package io.stopbob.ledger;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The projection of the pipeline topics: every deploy by id, and what is in flight per
 * target. Rebuilt by applying the topics from the beginning; applying an event twice
 * changes nothing. Writes come from one consumer thread; reads (a request checking its
 * target) from any.
 */
public final class Ledger {

	private final Map<String, Deploy> deploys = new ConcurrentHashMap<>();

	/** Counts applied events, so a deploy knows where its request stood in the log. */
	private long applied;

	/** The newest deploy of each target that succeeded: what runs there now. */
	private final Map<Target, Deploy> lastSucceeded = new ConcurrentHashMap<>();

	/**
	 * Green builds per target and SHA: a rollback to a SHA that passed need not wait for
	 * CI.
	 */
	private final Map<Target, Map<String, PipelineEvent.Built>> passedBuilds = new ConcurrentHashMap<>();

	/**
	 * Deploys in flight per target, kept beside the map so a request's check does not
	 * scan history.
	 */
	private final Map<Target, Map<String, Deploy>> inFlight = new ConcurrentHashMap<>();

	/**
	 * Records the event on its deploy.
	 * @return the deploy, and whether the event was new to it
	 */
	public synchronized Applied apply(PipelineEvent event) {
		Deploy deploy = this.deploys.computeIfAbsent(event.deployId(), (id) -> new Deploy(id, event.meta().target()));
		boolean fresh = deploy.apply(event, ++this.applied);
		// Only a build of the pipeline's own chain may spare a rollback its CI.
		if (event instanceof PipelineEvent.Built built && deploy.brokenLink().isEmpty()) {
			this.passedBuilds.computeIfAbsent(deploy.target(), (target) -> new ConcurrentHashMap<>())
				.putIfAbsent(built.sha(), built);
		}
		if (event instanceof PipelineEvent.Finished finished && finished.outcome() == PipelineEvent.Outcome.SUCCEEDED
				&& deploy.finish().filter((first) -> first == finished).isPresent()) {
			this.lastSucceeded.merge(deploy.target(), deploy,
					(current,
							candidate) -> candidate.finish()
								.orElseThrow()
								.meta()
								.occurredAt()
								.isAfter(current.finish().orElseThrow().meta().occurredAt()) ? candidate : current);
		}
		if (deploy.inFlight()) {
			this.inFlight.computeIfAbsent(deploy.target(), (target) -> new ConcurrentHashMap<>())
				.put(deploy.deployId(), deploy);
		}
		else {
			Map<String, Deploy> ofTarget = this.inFlight.get(deploy.target());
			if (ofTarget != null) {
				ofTarget.remove(deploy.deployId());
			}
		}
		return new Applied(deploy, fresh);
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
		return Optional.ofNullable(this.lastSucceeded.get(target));
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

	/** The result of applying one event. */
	public record Applied(Deploy deploy, boolean fresh) {
	}

}
