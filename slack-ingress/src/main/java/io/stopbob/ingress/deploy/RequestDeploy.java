package io.stopbob.ingress.deploy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import io.stopbob.ingress.operations.Recorder;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ingress.thread.ThreadMessages;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.FreezeOverride;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way into the pipeline: check the request, start its thread in the app's deploy
 * channel, publish {@code DeployRequested} with that thread. Where the environment wants
 * a second person, the request waits on the board for their approval instead. Checks and
 * publish are one step per target, so of two people pressing the button at once exactly
 * one gets the deploy.
 */
public class RequestDeploy {

	private static final Logger log = LoggerFactory.getLogger(RequestDeploy.class);

	private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private final RequestPolicy policy;

	private final Catalog catalog;

	private final Ledger ledger;

	private final SlackWorkspace slack;

	private final DeployRequests requests;

	private final Recorder recorder;

	private final Clock clock;

	private final String producer;

	/**
	 * A fixed set of locks, one per target by its hash: a target is typed before it is
	 * checked, so a lock per target name would grow with whatever people type.
	 */
	private final Object[] targetLocks = IntStream.range(0, 64).mapToObj((i) -> new Object()).toArray();

	public RequestDeploy(RequestPolicy policy, Catalog catalog, Ledger ledger, SlackWorkspace slack,
			DeployRequests requests, Recorder recorder, Clock clock, String producer) {
		this.policy = policy;
		this.catalog = catalog;
		this.ledger = ledger;
		this.slack = slack;
		this.requests = requests;
		this.recorder = recorder;
		this.clock = clock;
		this.producer = producer;
	}

	public Result request(DeployRequest request) {
		return held(newDeployId(), request, null, null);
	}

	/**
	 * Starts a request that waited (queued, or approved), under the id it waited with. A
	 * deploy of that id that is already on the log is not started again.
	 * @param thread the thread it has already, or null
	 * @param approvedBy the person who approved it, or null
	 */
	public Result held(String deployId, DeployRequest request, ThreadRef thread, Person approvedBy) {
		return exclusively(request.target(), () -> {
			var started = this.ledger.find(deployId).flatMap((deploy) -> deploy.request());
			if (started.isPresent()) {
				return new Result.Accepted(deployId, started.get().thread(), null);
			}
			List<Problem> problems = this.policy.check(request);
			if (!problems.isEmpty()) {
				return new Result.Refused(problems);
			}
			App app = this.catalog.app(request.app()).orElseThrow();
			Environment environment = app.environment(request.environment()).orElseThrow();
			FreezeOverride override = (request.emergency() != null) ? environment.frozenAt(this.clock.instant())
				.map((window) -> new FreezeOverride(window.name(), request.emergency()))
				.orElse(null) : null;
			if (approvedBy == null && environment.approval().required() && request.kind() == Kind.DEPLOY) {
				return awaitApproval(deployId, request, app, environment, override);
			}
			return start(deployId, request, app, thread, override, approvedBy);
		});
	}

	/**
	 * Runs {@code work} as the only change to the target at this moment, in this
	 * instance.
	 */
	public <T> T exclusively(Target target, Supplier<T> work) {
		synchronized (this.targetLocks[Math.floorMod(target.hashCode(), this.targetLocks.length)]) {
			return work.get();
		}
	}

	private Result start(String deployId, DeployRequest request, App app, ThreadRef existing, FreezeOverride override,
			Person approvedBy) {
		String text = ThreadMessages.started(request, deployId, override, approvedBy);
		ThreadRef thread;
		if (existing == null) {
			thread = this.slack.startThread(deployId, app.deployChannel(), text);
		}
		else {
			thread = existing;
			this.slack.updateThreadStart(thread, deployId, text);
		}
		// The event id comes from the deploy: a held request started again after an
		// unconfirmed publish is the same event on the log, not a second request.
		Requested requested = new Requested(
				new Meta(deployId + ":requested", deployId, request.target(), this.clock.instant(), this.producer),
				request.sha(), request.kind(), request.requester(), thread, request.reason(), override, approvedBy);
		try {
			this.requests.publish(requested);
		}
		catch (DeployRequests.Unconfirmed ex) {
			tellThread(thread, deployId, ThreadMessages.unconfirmed(request, ex.getMessage()));
			throw ex;
		}
		catch (RuntimeException ex) {
			tellThread(thread, deployId, ThreadMessages.notStarted(request, ex.getMessage()));
			throw ex;
		}
		// Hold the target now, not when the event comes back from the log.
		this.ledger.apply(requested);
		if (override != null) {
			announceOverride(deployId, request, app, thread, override);
		}
		return new Result.Accepted(deployId, thread, null);
	}

	/** Rewrites the thread's first message; the person hears it from the answer too. */
	private void tellThread(ThreadRef thread, String deployId, String text) {
		try {
			this.slack.updateThreadStart(thread, deployId, text);
		}
		catch (RuntimeException ex) {
			log.warn("could not rewrite the first message of {}'s thread", deployId, ex);
		}
	}

	private Result awaitApproval(String deployId, DeployRequest request, App app, Environment environment,
			FreezeOverride override) {
		Instant expiresAt = this.clock.instant().plus(environment.approval().expiresAfter());
		ThreadRef thread = this.slack.startThread(deployId, app.deployChannel(),
				ThreadMessages.awaitingApproval(request, deployId, override));
		String approvalTs = this.slack.reply(thread, deployId, deployId + ":approval",
				ThreadMessages.approvalAsked(request, expiresAt), ThreadMessages.approvalButtons(deployId));
		this.recorder.record(request.target(), deployId, request.requester(),
				new Operation.AwaitingApproval(new Operation.HeldRequest(request.sha(), request.kind(),
						request.reason(), override, thread, approvalTs, expiresAt)));
		return new Result.Accepted(deployId, thread, expiresAt);
	}

	private void announceOverride(String deployId, DeployRequest request, App app, ThreadRef thread,
			FreezeOverride override) {
		try {
			this.slack.announce(thread, deployId, deployId + ":override", ThreadMessages.overridden(request, override));
		}
		catch (RuntimeException ex) {
			// The override is on the log with the request; the announcement is a
			// courtesy.
			log.warn("could not announce the freeze override of {} in {}", deployId, app.deployChannel(), ex);
		}
	}

	/** A new deploy id: the time it was asked for, and six random hex digits. */
	public String newDeployId() {
		return "d-" + ID_TIME.format(this.clock.instant()) + "-"
				+ String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
	}

	/** Accepted with its deploy id and thread, or refused with every problem found. */
	public sealed interface Result {

		/**
		 * @param approvalExpiresAt set when the deploy waits for a second person until
		 * then
		 */
		record Accepted(String deployId, ThreadRef thread, Instant approvalExpiresAt) implements Result {

			public boolean awaitingApproval() {
				return this.approvalExpiresAt != null;
			}

		}

		record Refused(List<Problem> problems) implements Result {

			/** Busy, and nothing else stands in the way: it could be queued. */
			public boolean onlyBusy() {
				return !this.problems.isEmpty()
						&& this.problems.stream().allMatch((problem) -> problem.kind() == Problem.Kind.CONFLICT);
			}

		}

	}

}
