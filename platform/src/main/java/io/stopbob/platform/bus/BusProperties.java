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
 * @param retry how a failing record is retried before it goes to its dead-letter topic
 */
@ConfigurationProperties("stop.bus")
public record BusProperties(@DefaultValue("6") int partitions, @DefaultValue("-1") short replicationFactor,
		@DefaultValue Retry retry) {

	Optional<Short> replicas() {
		return (this.replicationFactor > 0) ? Optional.of(this.replicationFactor) : Optional.empty();
	}

	/**
	 * @param attempts deliveries of one record in all, the first included
	 * @param backoff pause before the first retry; doubled each time
	 */
	public record Retry(@DefaultValue("3") int attempts, @DefaultValue("500ms") Duration backoff) {
	}

}
