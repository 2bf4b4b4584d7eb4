package io.stopbob.ingress.operations;

import java.util.List;

import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.thread.SlackWorkspace.RollbackModal;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;
import io.stopbob.platform.catalog.Catalog;

/**
 * One command back to the last good release: the SHA that runs now, and the newest
 * successful release of another SHA before it. The rollback is a deploy of kind ROLLBACK:
 * it passes locks and freezes, needs no approval, and reuses the green build of that SHA
 * instead of waiting for CI.
 */
public class Rollbacks {

	private final Catalog catalog;

	private final Ledger ledger;

	private final RequestDeploy requestDeploy;

	public Rollbacks(Catalog catalog, Ledger ledger, RequestDeploy requestDeploy) {
		this.catalog = catalog;
		this.ledger = ledger;
		this.requestDeploy = requestDeploy;
	}

	/** What a rollback of the target would do, for the person to confirm. */
	public RollbackModal plan(String app, String environment) {
		Target target = Targets.find(this.catalog, app, environment).target();
		Deploy current = this.ledger.lastSucceeded(target)
			.orElseThrow(() -> new Refusal("Nothing to roll back: " + target + " has no successful deploy yet."));
		String currentSha = sha(current);
		Deploy previous = this.ledger.releases(target)
			.stream()
			.filter((deploy) -> deploy.finish().orElseThrow().meta().occurredAt().isBefore(finishedAt(current))
					&& !sha(deploy).equals(currentSha))
			.findFirst()
			.orElseThrow(() -> new Refusal("Nothing to roll back to: " + target + " has had no successful release"
					+ " before `" + Describe.sha(currentSha) + "` of another SHA."));
		return new RollbackModal(target, currentSha, by(current), finishedAt(current), sha(previous),
				previous.tag().map((tag) -> tag.tag()).orElse(null), by(previous), finishedAt(previous));
	}

	/**
	 * Rolls the target back to {@code sha}, which must be an earlier successful release
	 * of it: a rollback passes locks, freezes, approval and CI, so it may only go where
	 * the target has already been.
	 */
	public RequestDeploy.Result rollback(Target target, String sha, Person by) {
		String prefix = (sha != null) ? sha.toLowerCase() : "";
		List<String> released = this.ledger.releases(target)
			.stream()
			.map(Rollbacks::releasedSha)
			.filter((candidate) -> prefix.length() >= 7 && candidate.toLowerCase().startsWith(prefix))
			.distinct()
			.toList();
		if (released.isEmpty()) {
			throw new Refusal("`" + Describe.sha(String.valueOf(sha)) + "` was never released successfully to " + target
					+ " (of its latest " + this.ledger.releasesHeld()
					+ " releases): a rollback goes only to one of those." + recent(target));
		}
		if (released.size() > 1) {
			throw new Refusal("`" + sha + "` names more than one release of " + target + ": "
					+ released.stream().map((candidate) -> "`" + candidate + "`").toList() + ". Give more of the SHA.");
		}
		String from = this.ledger.lastSucceeded(target).map(Rollbacks::sha).map(Describe::sha).orElse("?");
		return this.requestDeploy.request(new DeployRequest(target.app(), target.environment(), released.get(0), by,
				"roll back from " + from, Kind.ROLLBACK));
	}

	private String recent(Target target) {
		List<String> shas = this.ledger.releases(target)
			.stream()
			.map((deploy) -> "`" + Describe.sha(sha(deploy)) + "`")
			.distinct()
			.limit(5)
			.toList();
		return shas.isEmpty() ? " It has none yet." : " The latest: " + String.join(", ", shas) + ".";
	}

	/** The commit in full, as its tag names it (a request may have named a prefix). */
	private static String releasedSha(Deploy deploy) {
		return deploy.tag().map((tag) -> tag.sha()).orElseGet(() -> sha(deploy));
	}

	/**
	 * Rolls back to what {@link #plan} finds, without a modal (the API and the command
	 * line).
	 */
	public RequestDeploy.Result rollback(String app, String environment, Person by) {
		RollbackModal plan = plan(app, environment);
		return rollback(plan.target(), plan.toSha(), by);
	}

	private static String sha(Deploy deploy) {
		return deploy.request().map((requested) -> requested.sha()).orElse("");
	}

	private static String by(Deploy deploy) {
		return deploy.request().map((requested) -> requested.requestedBy().name()).orElse("?");
	}

	private static java.time.Instant finishedAt(Deploy deploy) {
		return deploy.finish().map((finished) -> finished.meta().occurredAt()).orElse(java.time.Instant.EPOCH);
	}

}
