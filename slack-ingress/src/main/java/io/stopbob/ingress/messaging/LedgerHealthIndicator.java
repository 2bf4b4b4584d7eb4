package io.stopbob.ingress.messaging;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: DOWN while the deploy threads are being rebuilt from the topics after a
 * start or a rebalance, so no one is answered from a half-read history.
 */
@Component("ledgerHealthIndicator")
class LedgerHealthIndicator implements HealthIndicator {

	private final PipelineListener listener;

	LedgerHealthIndicator(PipelineListener listener) {
		this.listener = listener;
	}

	@Override
	public Health health() {
		return this.listener.caughtUp() ? Health.up().build()
				: Health.down().withDetail("restoring", "replaying the topics up to the committed position").build();
	}

}
