package io.stopbob.ingress.messaging;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.stopbob.ingress.config.IngressProperties;
import io.stopbob.ingress.operations.Approvals;
import io.stopbob.ingress.operations.DeployQueue;
import io.stopbob.ledger.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * What happens with time rather than with an event: approvals expire, and queued deploys
 * start when their target is free. It waits until the board and the ledger are rebuilt
 * from the topics, so it never acts on a half-read history, and acts only on the targets
 * the group gave this instance, so each happens once however many instances run.
 */
@Component
class Sweeper implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

	private final PipelineListener listener;

	private final Approvals approvals;

	private final DeployQueue queue;

	private final IngressProperties properties;

	private ScheduledExecutorService executor;

	Sweeper(PipelineListener listener, Approvals approvals, DeployQueue queue, IngressProperties properties) {
		this.listener = listener;
		this.approvals = approvals;
		this.queue = queue;
		this.properties = properties;
	}

	void sweep() {
		if (!this.listener.caughtUp()) {
			return;
		}
		try {
			Predicate<Target> owned = (target) -> this.listener.owns(target.toString());
			this.approvals.sweep(owned);
			this.queue.advance(owned);
		}
		catch (RuntimeException ex) {
			// Slack or the broker away: the next sweep tries again.
			log.warn("sweep failed: {}", ex.getMessage(), ex);
		}
	}

	@Override
	public synchronized void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "stop-sweeper");
			thread.setDaemon(true);
			return thread;
		});
		long every = this.properties.sweepInterval().toMillis();
		this.executor.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
