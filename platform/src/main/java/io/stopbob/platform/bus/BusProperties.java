package io.stopbob.platform.bus;

import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the event bus shared by every service.
 *
 * @param partitions partitions of each pipeline topic and its dead-letter topic; targets
 * spread across them, so this bounds how many instances of a service share the work
 * @param replicationFactor replicas of each topic; -1 takes the broker's default
 * @param retry how a record that fails on the consumer thread is retried before it goes
 * to its dead-letter topic
 * @param lanes how the work of each record runs, per target, and waits out outages
 * @param longestRangeRead the longest one on-demand read of older history may take before
 * it is refused (a person waits for it)
 * @param snapshotEvery records read in a partition after which the service's state of it
 * is snapshotted ({@link Snapshots}): a restart reads about this many per partition, not
 * the whole log; 0 turns snapshots off
 */
@ConfigurationProperties("stop.bus")
public record BusProperties(@DefaultValue("6") int partitions, @DefaultValue("-1") short replicationFactor,
		@DefaultValue Retry retry, @DefaultValue Lanes lanes, @DefaultValue("120s") Duration longestRangeRead,
		@DefaultValue("10000") int snapshotEvery) {

	public Optional<Short> replicas() {
		return (this.replicationFactor > 0) ? Optional.of(this.replicationFactor) : Optional.empty();
	}

	/**
	 * @param attempts deliveries of one record in all, the first included
	 * @param backoff pause before the first retry; doubled each time
	 */
	public record Retry(@DefaultValue("3") int attempts, @DefaultValue("500ms") Duration backoff) {
	}

	/**
	 * An outage is waited out without a total limit: the wait between attempts doubles
	 * from {@code firstWait} up to {@code maxWait}.
	 *
	 * @param threads jobs of different targets that may run at once
	 * @param firstWait the wait after the first attempt that met an outage
	 * @param maxWait the longest wait between two attempts
	 * @param maxPending records of one partition handed on and not yet done before the
	 * partition is paused, and records of one partition whose work waits for a replay
	 * (more are read again once it is over); bounds the memory a long outage or a long
	 * time down takes (a few hundred bytes a record)
	 */
	public record Lanes(@DefaultValue("8") int threads, @DefaultValue("1s") Duration firstWait,
			@DefaultValue("60s") Duration maxWait, @DefaultValue("1000") int maxPending) {
	}

}
