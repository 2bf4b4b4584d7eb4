package io.stopbob.ingress.deploy;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ingress.thread.ThreadMessages;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Target;
import io.stopbob.platform.catalog.Catalog;

/**
 * The one way into the pipeline: check the request, start its thread in the app's deploy
 * channel, publish {@code DeployRequested} with that thread. Checks and publish are one
 * step per target, so of two people pressing the button at once exactly one gets the
 * deploy.
 */
public class RequestDeploy {

	private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private final RequestPolicy policy;

	private final Catalog catalog;

	private final Ledger ledger;

	private final SlackWorkspace slack;

	private final DeployRequests requests;

	private final Clock clock;

	private final String producer;

	private final ConcurrentHashMap<Target, Object> targetLocks = new ConcurrentHashMap<>();

	public RequestDeploy(RequestPolicy policy, Catalog catalog, Ledger ledger, SlackWorkspace slack,
			DeployRequests requests, Clock clock, String producer) {
		this.policy = policy;
		this.catalog = catalog;
		this.ledger = ledger;
		this.slack = slack;
		this.requests = requests;
		this.clock = clock;
		this.producer = producer;
	}

	public Result request(DeployRequest request) {
		synchronized (this.targetLocks.computeIfAbsent(request.target(), (target) -> new Object())) {
			List<Problem> problems = this.policy.check(request);
			if (!problems.isEmpty()) {
				return new Result.Refused(problems);
			}
			String deployId = newDeployId();
			String channel = this.catalog.app(request.app()).orElseThrow().deployChannel();
			ThreadRef thread = this.slack.startThread(deployId, channel, ThreadMessages.started(request, deployId));
			Requested requested = new Requested(
					new Meta(UUID.randomUUID().toString(), deployId, request.target(), this.clock.instant(),
							this.producer),
					request.sha(), request.kind(), request.requester(), thread, request.reason());
			try {
				this.requests.publish(requested);
			}
			catch (RuntimeException ex) {
				this.slack.updateThreadStart(thread, deployId, ThreadMessages.notStarted(request, ex.getMessage()));
				throw ex;
			}
			// Hold the target now, not when the event comes back from the log.
			this.ledger.apply(requested);
			return new Result.Accepted(deployId, thread);
		}
	}

	private String newDeployId() {
		return "d-" + ID_TIME.format(this.clock.instant()) + "-"
				+ String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
	}

	/** Accepted with its deploy id and thread, or refused with every problem found. */
	public sealed interface Result {

		record Accepted(String deployId, ThreadRef thread) implements Result {
		}

		record Refused(List<Problem> problems) implements Result {
		}

	}

}
