package io.stopbob.ledger.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.Target;

/**
 * The four delivery figures of the State of DevOps research, read from the ledger:
 * <ul>
 * <li>deploy frequency: successful deploys (not rollbacks) per day;</li>
 * <li>lead time for changes: the commit time of the SHA to its SUCCEEDED;</li>
 * <li>change-failure rate: FAILED or ROLLED_BACK over all finished deploys (a refused
 * request changed nothing and is not counted);</li>
 * <li>time to restore: from the first failure of a target to its next SUCCEEDED (a
 * rollback counts).</li>
 * </ul>
 * Each falls in a band; a distribution's band is its median's.
 */
public final class DeliveryStats {

	private DeliveryStats() {
	}

	/** The figures of the deploys of the targets that finished in {@code [from, to)}. */
	public static Report of(Collection<Deploy> deploys, Predicate<Target> targets, Instant from, Instant to) {
		return ofDeliveries(deploys.stream().flatMap((deploy) -> Delivery.of(deploy).stream()).toList(), targets, from,
				to);
	}

	/** The same figures from what each finished deploy delivered. */
	public static Report ofDeliveries(Collection<Delivery> deliveries, Predicate<Target> targets, Instant from,
			Instant to) {
		List<Delivery> finished = deliveries.stream()
			.filter((delivery) -> targets.test(delivery.target()) && delivery.outcome() != Outcome.REJECTED
					&& !delivery.finishedAt().isBefore(from) && delivery.finishedAt().isBefore(to))
			.sorted(Comparator.comparing(Delivery::finishedAt))
			.toList();
		List<Delivery> shipped = finished.stream()
			.filter((delivery) -> delivery.outcome() == Outcome.SUCCEEDED && delivery.kind() == Kind.DEPLOY)
			.toList();
		double days = Math.max(Duration.between(from, to).toMinutes() / 1440.0, 1.0 / 1440);
		double perDay = shipped.size() / days;
		Frequency frequency = new Frequency(shipped.size(), perDay, Band.ofFrequency(perDay));

		List<Duration> leadTimes = shipped.stream()
			.filter((delivery) -> delivery.committedAt() != null)
			.map((delivery) -> Duration.between(delivery.committedAt(), delivery.finishedAt()))
			.toList();
		long failed = finished.stream()
			.filter((delivery) -> delivery.outcome() == Outcome.FAILED || delivery.outcome() == Outcome.ROLLED_BACK)
			.count();
		Double rate = finished.isEmpty() ? null : (double) failed / finished.size();
		ChangeFailure changeFailure = new ChangeFailure((int) failed, finished.size(), rate,
				(rate != null) ? Band.ofChangeFailureRate(rate) : Band.NONE);
		return new Report(from, to, frequency, Distribution.of(leadTimes, Band::ofLeadTime), changeFailure,
				Distribution.of(restores(finished), Band::ofTimeToRestore));
	}

	/** Per target: from the first failure after a success to the next success. */
	private static List<Duration> restores(List<Delivery> finished) {
		List<Duration> restores = new ArrayList<>();
		Map<Target, List<Delivery>> byTarget = finished.stream().collect(Collectors.groupingBy(Delivery::target));
		for (List<Delivery> ofTarget : byTarget.values()) {
			Instant brokenSince = null;
			for (Delivery delivery : ofTarget) {
				Outcome outcome = delivery.outcome();
				if ((outcome == Outcome.FAILED || outcome == Outcome.ROLLED_BACK) && brokenSince == null) {
					brokenSince = delivery.finishedAt();
				}
				else if (outcome == Outcome.SUCCEEDED && brokenSince != null) {
					restores.add(Duration.between(brokenSince, delivery.finishedAt()));
					brokenSince = null;
				}
			}
		}
		return restores;
	}

	/**
	 * What one finished deploy delivered, all the figures need of it: a read of older
	 * history keeps this much of each deploy, not the deploy.
	 *
	 * @param committedAt when its SHA was committed, if the tag says
	 */
	public record Delivery(Target target, Kind kind, Outcome outcome, Instant finishedAt, Instant committedAt) {

		/** A deploy that was asked for and finished; nothing for any other. */
		public static Optional<Delivery> of(Deploy deploy) {
			if (deploy.request().isEmpty() || deploy.finish().isEmpty()) {
				return Optional.empty();
			}
			Finished finished = deploy.finish().get();
			return Optional.of(new Delivery(deploy.target(), deploy.request().get().kind(), finished.outcome(),
					finished.meta().occurredAt(), deploy.tag().map((tag) -> tag.commitTime()).orElse(null)));
		}

	}

	/** The four figures over a window. */
	public record Report(Instant from, Instant to, Frequency deployFrequency, Distribution leadTime,
			ChangeFailure changeFailureRate, Distribution timeToRestore) {
	}

	public record Frequency(int deploys, double perDay, Band band) {
	}

	/** {@code rate} is null when nothing finished. */
	public record ChangeFailure(int failed, int finished, Double rate, Band band) {
	}

	/** The median and the 90th percentile (nearest rank); null when there are none. */
	public record Distribution(int count, Duration p50, Duration p90, Band band) {

		static Distribution of(List<Duration> durations, java.util.function.Function<Duration, Band> band) {
			if (durations.isEmpty()) {
				return new Distribution(0, null, null, Band.NONE);
			}
			List<Duration> sorted = durations.stream().sorted().toList();
			Duration median = rank(sorted, 0.5);
			return new Distribution(sorted.size(), median, rank(sorted, 0.9), band.apply(median));
		}

		private static Duration rank(List<Duration> sorted, double quantile) {
			return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1);
		}

	}

	/**
	 * Where a figure falls, by the bounds of the 2021 State of DevOps report (its gaps
	 * closed upward); NONE when there is nothing to measure.
	 */
	public enum Band {

		ELITE, HIGH, MEDIUM, LOW, NONE;

		/** Elite: daily or more; high: weekly; medium: monthly. */
		static Band ofFrequency(double perDay) {
			return (perDay >= 1) ? ELITE : (perDay >= 1.0 / 7) ? HIGH : (perDay >= 1.0 / 30) ? MEDIUM : LOW;
		}

		/** Elite: under an hour; high: under a week; medium: under six months. */
		static Band ofLeadTime(Duration median) {
			return (median.compareTo(Duration.ofHours(1)) < 0) ? ELITE : (median.compareTo(Duration.ofDays(7)) < 0)
					? HIGH : (median.compareTo(Duration.ofDays(183)) < 0) ? MEDIUM : LOW;
		}

		/** Elite: at most 15%; high: 30%; medium: 45%. */
		static Band ofChangeFailureRate(double rate) {
			return (rate <= 0.15) ? ELITE : (rate <= 0.30) ? HIGH : (rate <= 0.45) ? MEDIUM : LOW;
		}

		/** Elite: under an hour; high: under a day; medium: under a week. */
		static Band ofTimeToRestore(Duration median) {
			return (median.compareTo(Duration.ofHours(1)) < 0) ? ELITE : (median.compareTo(Duration.ofDays(1)) < 0)
					? HIGH : (median.compareTo(Duration.ofDays(7)) < 0) ? MEDIUM : LOW;
		}

	}

}
