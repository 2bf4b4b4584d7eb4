package io.stopbob.platform.retry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What in this service waits for an outside system right now: a target's work, a rollout
 * being followed, a CI check. Read by the gauge {@code stop.outside.waiting}, one per
 * system; bounded by the work in flight, each entry leaving when its work goes on.
 */
public final class Outages {

	private final Map<String, Outage> waiting = new ConcurrentHashMap<>();

	private final Set<String> systems = ConcurrentHashMap.newKeySet();

	private final MeterRegistry meters;

	/**
	 * Outages counted by a gauge per system, made the first time the system is waited
	 * for.
	 */
	public Outages(MeterRegistry meters) {
		this.meters = meters;
	}

	/** Outages nobody watches, for a use case run on its own (tests, tools). */
	public static Outages unwatched() {
		return new Outages(new SimpleMeterRegistry());
	}

	/** The work (e.g. {@code rollout of d-1}) waits for the outage to end. */
	public void waiting(String work, Outage outage) {
		this.waiting.put(work, outage);
		if (this.systems.add(outage.system())) {
			Gauge.builder("stop.outside.waiting", this, (outages) -> outages.count(outage.system()))
				.description("work waiting for an outside system to be back: targets' work, rollouts, CI checks")
				.tag("system", outage.system())
				.register(this.meters);
		}
	}

	/** The work went on. */
	public void over(String work) {
		this.waiting.remove(work);
	}

	/** Work waiting for the system now. */
	public long count(String system) {
		return this.waiting.values().stream().filter((outage) -> outage.system().equals(system)).count();
	}

}
