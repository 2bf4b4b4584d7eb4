package io.stopbob.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Progressed;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;

/**
 * One deploy, as its events tell it. Events may arrive in any order across topics: each
 * is recorded, but the stage only moves forward, and nothing moves a finished deploy.
 */
public final class Deploy {

	private final String deployId;

	private final Target target;

	/**
	 * Ids of the events applied while the deploy runs; once it is finished and has its
	 * request it is compacted to the events it keeps (see {@link #apply}).
	 */
	private volatile Set<String> seenEventIds = new HashSet<>();

	// Written by the one thread that applies the log, read by any (requests, work in
	// lanes): volatile, so readers see whole events.
	private volatile Stage stage;

	private volatile Requested request;

	/** Where the request stands in the log of its target: earlier requests win. */
	private volatile long sequence;

	private volatile Tagged tag;

	private volatile Built build;

	private volatile Progressed progress;

	private volatile Finished finish;

	Deploy(String deployId, Target target) {
		this.deployId = deployId;
		this.target = target;
	}

	/**
	 * Records the event. Returns false, changing nothing, when this event was seen before
	 * (redelivery or replay). A finished deploy that has its request forgets the ids of
	 * the events it applied: it still knows the request, tag, build, progress and finish
	 * it keeps by theirs, and any other rollout progress or finish changes nothing (the
	 * first finish stands), so a late duplicate of either is harmless.
	 */
	boolean apply(PipelineEvent event, long order, UnaryOperator<String> shared) {
		Set<String> seen = this.seenEventIds;
		if (seen == null) {
			if (hasSeen(event.meta().eventId()) || event instanceof Progressed || event instanceof Finished) {
				return false;
			}
		}
		else if (!seen.add(event.meta().eventId())) {
			return false;
		}
		if (event instanceof Requested requested) {
			if (this.request == null) {
				this.sequence = order;
			}
			this.request = requested;
		}
		else if (event instanceof Tagged tagged
				&& (this.tag == null || sameRelease(this.tag.sha(), this.tag.tag(), tagged.sha(), tagged.tag()))) {
			// The first tag and build stand; a later one replaces them only for the same
			// release (a re-drive's), so one of other content cannot swap them.
			this.tag = tagged;
		}
		else if (event instanceof Built built
				&& (this.build == null || sameRelease(this.build.sha(), this.build.tag(), built.sha(), built.tag()))) {
			this.build = built;
		}
		else if (event instanceof Progressed progressed) {
			if (this.finish == null && (this.progress == null
					|| !progressed.meta().occurredAt().isBefore(this.progress.meta().occurredAt()))) {
				this.progress = progressed;
			}
		}
		else if (event instanceof Finished finished && this.finish == null) {
			this.finish = finished;
		}
		if (this.stage == null || event.stage().isAfter(this.stage)) {
			this.stage = event.stage();
		}
		if (this.finish != null && this.request != null) {
			this.seenEventIds = null;
			compact(shared);
		}
		return true;
	}

	/**
	 * Rewrites the events a finished deploy keeps so that what they repeat (its id and
	 * target, the SHA and tag, names every deploy uses) is held once: the same values, in
	 * a third of the objects.
	 */
	private void compact(UnaryOperator<String> shared) {
		Requested requested = this.request;
		Tagged tagged = this.tag;
		Built built = this.build;
		Progressed progressed = this.progress;
		Finished finished = this.finish;
		String sha = (tagged != null) ? tagged.sha() : requested.sha();
		this.request = new Requested(meta(requested.meta(), shared), share(requested.sha(), sha), requested.kind(),
				person(requested.requestedBy(), shared), thread(requested.thread(), shared), requested.reason(),
				requested.override(), person(requested.approvedBy(), shared));
		if (tagged != null) {
			this.tag = new Tagged(meta(tagged.meta(), shared), sha, tagged.tag(), tagged.releaseUrl(),
					tagged.previousTag(), tagged.previousSha(), tagged.kind(), tagged.commitTime());
		}
		if (built != null) {
			this.build = new Built(meta(built.meta(), shared), share(built.sha(), sha),
					(tagged != null) ? share(built.tag(), tagged.tag()) : built.tag(), shared.apply(built.ciProvider()),
					built.checks().stream().map(shared).toList(), built.buildUrl(), built.reused());
		}
		if (progressed != null) {
			this.progress = new Progressed(meta(progressed.meta(), shared), progressed.backendDeploymentId(),
					shared.apply(progressed.state()), progressed.instances(), progressed.batch(), progressed.batches(),
					progressed.failures(), progressed.message());
		}
		this.finish = new Finished(meta(finished.meta(), shared), finished.outcome(), shared.apply(finished.endedIn()),
				finished.reason(), share(finished.sha(), sha), finished.durationMillis());
	}

	private PipelineEvent.Meta meta(PipelineEvent.Meta meta, UnaryOperator<String> shared) {
		return new PipelineEvent.Meta(meta.eventId(), this.deployId, this.target, meta.occurredAt(),
				shared.apply(meta.producer()));
	}

	private static PipelineEvent.Person person(PipelineEvent.Person person, UnaryOperator<String> shared) {
		return (person != null) ? new PipelineEvent.Person(shared.apply(person.id()), shared.apply(person.name()))
				: null;
	}

	private static PipelineEvent.ThreadRef thread(PipelineEvent.ThreadRef thread, UnaryOperator<String> shared) {
		return (thread != null) ? new PipelineEvent.ThreadRef(shared.apply(thread.channel()), thread.ts()) : null;
	}

	private static String share(String value, String same) {
		return (value != null && value.equals(same)) ? same : value;
	}

	/**
	 * Whether the break is only a link not read yet (no request, or no tag under a
	 * build), rather than links that disagree.
	 */
	public boolean missesALink() {
		return (this.tag != null || this.build != null)
				&& (this.request == null || (this.build != null && this.tag == null));
	}

	private static boolean sameRelease(String sha, String tag, String otherSha, String otherTag) {
		return sha.equals(otherSha) && tag.equals(otherTag);
	}

	/**
	 * Where the deploy's chain breaks, if it does: a tag needs the request of its SHA, a
	 * build the request and the tag of its SHA and tag name. Only the pipeline makes that
	 * chain; an event without it came from somewhere else and is acted on by nobody.
	 */
	public Optional<String> brokenLink() {
		Requested requested = this.request;
		Tagged tagged = this.tag;
		Built built = this.build;
		if ((tagged != null || built != null) && requested == null) {
			return Optional.of((built != null ? "build-passed" : "tag-created") + " for deploy " + this.deployId
					+ " of " + this.target + ", which was never requested on deploy-requested");
		}
		// A request may name a commit by a prefix; the tag names it in full.
		if (tagged != null && !tagged.sha().toLowerCase().startsWith(requested.sha().toLowerCase())) {
			return Optional.of("tag-created for deploy " + this.deployId + " names commit " + tagged.sha() + ", but "
					+ requested.sha() + " was requested");
		}
		if (built != null && tagged == null) {
			return Optional.of("build-passed for deploy " + this.deployId + " of " + this.target
					+ " without a tag-created before it");
		}
		if (built != null && (!built.sha().equals(tagged.sha()) || !built.tag().equals(tagged.tag()))) {
			return Optional.of("build-passed for deploy " + this.deployId + " names " + built.tag() + " at "
					+ built.sha() + ", but the tag created was " + tagged.tag() + " at " + tagged.sha());
		}
		return Optional.empty();
	}

	/** Whether this event has been applied to the deploy (of a finished one: is kept). */
	public boolean hasSeen(String eventId) {
		Set<String> seen = this.seenEventIds;
		if (seen != null) {
			return seen.contains(eventId);
		}
		return Stream.of(this.request, this.tag, this.build, this.progress, this.finish)
			.anyMatch((kept) -> kept != null && kept.meta().eventId().equals(eventId));
	}

	public String deployId() {
		return this.deployId;
	}

	public Target target() {
		return this.target;
	}

	/** The furthest stage any event has reached. */
	public Stage stage() {
		return this.stage;
	}

	public boolean finished() {
		return this.finish != null;
	}

	/**
	 * In flight: asked for and not finished. A deploy known only from later events is
	 * not.
	 */
	public boolean inFlight() {
		return this.request != null && this.finish == null;
	}

	/**
	 * The order in which requests reached this projection: the log's order per target.
	 */
	long sequence() {
		return this.sequence;
	}

	/**
	 * The events the deploy keeps (request, tag, build, last progress, finish), in that
	 * order: applied to a new deploy, they make the same one.
	 */
	public List<PipelineEvent> events() {
		return Stream.of(this.request, this.tag, this.build, this.progress, this.finish)
			.filter(Objects::nonNull)
			.map(PipelineEvent.class::cast)
			.toList();
	}

	public Optional<Requested> request() {
		return Optional.ofNullable(this.request);
	}

	public Optional<Tagged> tag() {
		return Optional.ofNullable(this.tag);
	}

	public Optional<Built> build() {
		return Optional.ofNullable(this.build);
	}

	public Optional<Progressed> progress() {
		return Optional.ofNullable(this.progress);
	}

	public Optional<Finished> finish() {
		return Optional.ofNullable(this.finish);
	}

	public Optional<Instant> requestedAt() {
		return request().map((requested) -> requested.meta().occurredAt());
	}

	/**
	 * From the request to the outcome, as the finishing service measured it or as the
	 * events say.
	 */
	public Optional<Duration> duration() {
		return finish().flatMap((finished) -> (finished.durationMillis() != null)
				? Optional.of(Duration.ofMillis(finished.durationMillis()))
				: requestedAt().map((start) -> Duration.between(start, finished.meta().occurredAt())));
	}

}
