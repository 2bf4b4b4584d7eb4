package io.stopbob.platform.health;

import io.stopbob.platform.bus.RestoringListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness: UP once every restoring listener of the service has replayed its partitions
 * to where their logs ended at assignment, so nobody is answered, and nothing decided,
 * from half the log. An outage of the broker or of an outside system later does not take
 * it down: the service is waiting then, not broken.
 */
public class LogHealthIndicator implements HealthIndicator {

	private final ObjectProvider<RestoringListener> listeners;

	public LogHealthIndicator(ObjectProvider<RestoringListener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public Health health() {
		for (RestoringListener listener : this.listeners.orderedStream().toList()) {
			if (!listener.caughtUp()) {
				return Health.down().withDetail("catching up", listener.progress()).build();
			}
		}
		return Health.up().build();
	}

}
