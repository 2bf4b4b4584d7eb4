package io.stopbob.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

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

	private final Set<String> seenEventIds = new HashSet<>();

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
	 * (redelivery or replay).
	 */
	boolean apply(PipelineEvent event, long order) {
		if (!this.seenEventIds.add(event.meta().eventId())) {
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
		return true;
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

	/** Whether this event has been applied to the deploy. */
	public boolean hasSeen(String eventId) {
		return this.seenEventIds.contains(eventId);
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
