package io.stopbob.tagger.tagging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.rules.TargetRules;
import io.stopbob.ledger.rules.TargetRules.Obstacle;
import io.stopbob.platform.bus.UnchainedEventException;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Environment;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.tagger.ci.CiGate;
import io.stopbob.tagger.tagging.GitHost.CommitSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deploy becomes a release: the target's rules (one deploy in flight per target, no
 * lock or freeze, a deployer, an approval where wanted; decided by the consumer that owns
 * the target's partition, from its caught-up state), a SHA the repository has, an
 * annotated tag and a release listing what changed since the target's last good release.
 * Every step can run twice and make nothing twice: the tag name and the event ids come
 * from the deploy itself.
 */
public class TagRelease {

	private static final Logger log = LoggerFactory.getLogger(TagRelease.class);

	/** Commits listed on a target's first release. */
	static final int FIRST_RELEASE_COMMITS = 20;

	private final Catalog catalog;

	private final Ledger ledger;

	private final GitHost git;

	private final PipelineEvents events;

	private final CiGate ciGate;

	private final TargetRules rules;

	private final Clock clock;

	private final Duration tagRequestedWithin;

	private final String producer;

	public TagRelease(Catalog catalog, Ledger ledger, GitHost git, PipelineEvents events, CiGate ciGate,
			TargetRules rules, Clock clock, Duration tagRequestedWithin, String producer) {
		this.catalog = catalog;
		this.ledger = ledger;
		this.git = git;
		this.events = events;
		this.ciGate = ciGate;
		this.rules = rules;
		this.clock = clock;
		this.tagRequestedWithin = tagRequestedWithin;
		this.producer = producer;
	}

	/**
	 * Handles a request already applied to the ledger. An outage of the git host or the
	 * broker is thrown, to be waited out and the request handled again: every step looks
	 * for its earlier result first. A refusal ends the deploy with the reason.
	 */
	public void requested(Requested request) {
		log.info("deploy {} of {} at {} requested by {}", request.deployId(), request.meta().target(), request.sha(),
				request.requestedBy().name());
		Deploy deploy = this.ledger.find(request.deployId()).orElseThrow();
		if (deploy.finished()) {
			return;
		}
		if (deploy.tag().isPresent()) {
			this.ciGate.watch(deploy);
			return;
		}
		Optional<App> app = this.catalog.app(request.meta().target().app());
		Optional<Environment> environment = app
			.flatMap((found) -> found.environment(request.meta().target().environment()));
		if (environment.isEmpty()) {
			finish(deploy, Outcome.REJECTED, "REQUEST", request.meta().target() + " is not in the catalog");
			return;
		}
		List<Obstacle> obstacles = this.rules.obstacles(request, environment.get(), this.clock.instant());
		if (!obstacles.isEmpty()) {
			refuse(deploy, request, obstacles);
			return;
		}
		String repository = app.get().repository();
		try {
			Optional<GitHost.Commit> commit = this.git.resolveCommit(repository, request.sha());
			if (commit.isEmpty()) {
				finish(deploy, Outcome.REJECTED, "REQUEST",
						"commit " + request.sha() + " does not exist in " + repository + " (pushed yet?)");
				return;
			}
			tag(deploy, request, repository, environment.get(), commit.get());
		}
		catch (GitHostException ex) {
			if (!ex.permanent()) {
				// GitHub is away: the deploy waits for it, however long, holding its
				// target.
				throw ex;
			}
			finish(deploy, Outcome.FAILED, "TAG", ex.getMessage());
		}
	}

	/**
	 * Picks up a request the ledger has untagged once caught up (a restart cut it short,
	 * or the log handed it over as history): handled as new if it was asked for within
	 * {@code tagRequestedWithin}, refused if older, since nobody may wait for it any
	 * more.
	 */
	public void resume(Requested request) {
		Deploy deploy = this.ledger.find(request.deployId()).orElseThrow();
		Instant askedAt = request.meta().occurredAt();
		if (!deploy.finished() && deploy.tag().isEmpty()
				&& askedAt.isBefore(this.clock.instant().minus(this.tagRequestedWithin))) {
			finish(deploy, Outcome.REJECTED, "REQUEST",
					"asked for at " + askedAt + " and not tagged within " + this.tagRequestedWithin.toMinutes()
							+ " min (release-tagger was away, or the app was not in the catalog); ask again if it"
							+ " is still wanted");
			return;
		}
		requested(request);
	}

	private void tag(Deploy deploy, Requested request, String repository, Environment environment,
			GitHost.Commit commit) {
		String sha = commit.sha();
		String tag = ReleaseNames.tag(environment.tagPrefix(), request.meta().occurredAt(), sha);
		Optional<Deploy> previous = this.ledger.lastSucceeded(deploy.target());
		Optional<Tagged> previousTag = previous.flatMap(Deploy::tag);
		List<CommitSummary> commits = this.git.commitsBetween(repository, previousTag.map(Tagged::tag).orElse(null),
				sha);
		String body = releaseBody(commits, previousTag, request);
		String url = this.git.release(repository, new GitHost.ReleaseRequest(tag, sha,
				"Deploy " + deploy.deployId() + " of " + deploy.target() + " asked by " + request.requestedBy().name(),
				deploy.target().app() + " " + tag, body));
		Tagged tagged = new Tagged(meta(deploy, "tag-created"), sha, tag, url,
				previousTag.map(Tagged::tag).orElse(null), previousTag.map(Tagged::sha).orElse(null), request.kind(),
				commit.committedAt());
		this.events.publish(tagged);
		this.ledger.apply(tagged);
		log.info("deploy {} tagged {} ({})", deploy.deployId(), tag, url);
		this.ciGate.watch(deploy);
	}

	private static String releaseBody(List<CommitSummary> commits, Optional<Tagged> previous, Requested request) {
		String heading = previous.map((tag) -> "Changes since " + tag.tag() + ":")
			.orElse("First release of this target; the last " + FIRST_RELEASE_COMMITS + " commits:");
		List<CommitSummary> listed = previous.isPresent() ? commits
				: commits.subList(Math.max(0, commits.size() - FIRST_RELEASE_COMMITS), commits.size());
		return heading + "\n\n" + listed.stream()
			.map((commit) -> "- " + commit.title() + " (" + commit.sha().substring(0, 7) + ", " + commit.author() + ")")
			.collect(Collectors.joining("\n")) + ((request.reason() != null) ? "\n\nReason: " + request.reason() : "");
	}

	/**
	 * Ends a request the target's rules stop, with every reason. An approval not on the
	 * board yet may still come from its topic (read in no set order with the request's):
	 * waited for briefly, like a missing link.
	 */
	private void refuse(Deploy deploy, Requested request, List<Obstacle> obstacles) {
		String reason = obstacles.stream()
			.map((obstacle) -> obstacle.describe(deploy.target()))
			.collect(Collectors.joining("; "));
		if (obstacles.stream().allMatch(Obstacle.NotApproved.class::isInstance) && request.meta()
			.occurredAt()
			.isAfter(this.clock.instant().minus(UnchainedEventException.LINK_GRACE))) {
			throw UnchainedEventException.awaited(reason);
		}
		finish(deploy, Outcome.REJECTED, "REQUEST", reason);
	}

	private void finish(Deploy deploy, Outcome outcome, String stage, String reason) {
		Finished finished = new Finished(meta(deploy, "finished"), outcome, stage, reason,
				deploy.request().map(Requested::sha).orElse(null),
				deploy.requestedAt().map((at) -> Duration.between(at, this.clock.instant()).toMillis()).orElse(null));
		this.events.publish(finished);
		this.ledger.apply(finished);
		log.info("deploy {} {} at {}: {}", deploy.deployId(), outcome, stage, reason);
	}

	private Meta meta(Deploy deploy, String what) {
		return new Meta(ReleaseNames.eventId(deploy.deployId(), what), deploy.deployId(), deploy.target(),
				this.clock.instant(), this.producer);
	}

}
