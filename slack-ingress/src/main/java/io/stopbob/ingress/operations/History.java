package io.stopbob.ingress.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.stats.DeliveryStats.Delivery;
import io.stopbob.platform.catalog.Catalog;

/**
 * A target's deploys for a person who asks: from the ledger while its window holds them
 * all, from the log (the topics) when the question reaches past it, so an answer is never
 * made from part of the history.
 */
public class History {

	/** The most deploys one range read holds (about 2 KB each): ask for less beyond. */
	public static final int MAX_RANGE = 5_000;

	/** Deploys that finish in a range may have been asked for this much before it. */
	private static final Duration LONGEST_DEPLOY = Duration.ofDays(1);

	private final Catalog catalog;

	private final Ledger ledger;

	private final PipelineLog log;

	public History(Catalog catalog, Ledger ledger, PipelineLog log) {
		this.catalog = catalog;
		this.ledger = ledger;
		this.log = log;
	}

	/** Whether the target's last {@code count} deploys reach past the ledger's window. */
	public boolean lastReachesPast(Target target, int count) {
		return this.ledger.forgottenUntil(target).isPresent() && this.ledger.history(target).size() < count;
	}

	/** The target's last {@code count} deploys that were asked for, the newest first. */
	public List<Deploy> last(Target target, int count) {
		if (!lastReachesPast(target, count)) {
			return this.ledger.history(target).stream().limit(count).toList();
		}
		// Read in log order, a window of count holds the newest count at the end.
		Ledger older = new Ledger(Ledger.Limits.window(count));
		this.log.read(target, Instant.EPOCH, (event) -> {
			if (event.meta().target().equals(target)) {
				older.apply(event);
			}
		});
		return older.history(target).stream().limit(count).toList();
	}

	/**
	 * The target's deploys asked for in {@code [from, to)}, the newest first.
	 * @throws Refusal past {@link #MAX_RANGE} deploys
	 */
	public List<Deploy> between(Target target, Instant from, Instant to) {
		Predicate<Deploy> inRange = (
				deploy) -> deploy.requestedAt().map((at) -> !at.isBefore(from) && at.isBefore(to)).orElse(false);
		boolean held = this.ledger.forgottenUntil(target).map((until) -> until.isBefore(from)).orElse(true);
		List<Deploy> deploys;
		if (held) {
			deploys = this.ledger.history(target).stream().filter(inRange).toList();
		}
		else {
			List<Deploy> overflow = new ArrayList<>();
			Ledger range = new Ledger(Ledger.Limits.window(MAX_RANGE), overflow::add);
			Instant last = to.plus(LONGEST_DEPLOY);
			this.log.read(target, from, (event) -> {
				if (event.meta().target().equals(target) && event.meta().occurredAt().isBefore(last)) {
					range.apply(event);
				}
			});
			deploys = overflow.isEmpty() ? range.history(target).stream().filter(inRange).toList() : null;
		}
		if (deploys == null || deploys.size() > MAX_RANGE) {
			throw new Refusal("More than " + MAX_RANGE + " deploys of " + target + " from " + from + " to " + to
					+ ": ask for a shorter range.");
		}
		return deploys;
	}

	/**
	 * Whether what finished since {@code from} for these targets reaches past the window.
	 */
	public boolean deliveriesReachPast(Predicate<Target> targets, Instant from) {
		return this.catalog.appNames()
			.stream()
			.flatMap((app) -> this.catalog.app(app)
				.orElseThrow()
				.environmentNames()
				.stream()
				.map((environment) -> new Target(app, environment)))
			.filter(targets)
			.anyMatch(
					(target) -> this.ledger.forgottenUntil(target).map((until) -> !until.isBefore(from)).orElse(false));
	}

	/**
	 * What every deploy of the targets delivered that finished since about {@code from}:
	 * of each, only what the delivery figures need.
	 */
	public List<Delivery> deliveries(Predicate<Target> targets, Instant from) {
		if (!deliveriesReachPast(targets, from)) {
			return this.ledger.all().stream().flatMap((deploy) -> Delivery.of(deploy).stream()).toList();
		}
		List<Delivery> deliveries = new ArrayList<>();
		Ledger range = new Ledger(Ledger.Limits.window(MAX_RANGE),
				(deploy) -> Delivery.of(deploy).ifPresent(deliveries::add));
		this.log.read(null, from.minus(LONGEST_DEPLOY), (event) -> {
			if (targets.test(event.meta().target())) {
				range.apply(event);
			}
		});
		range.all().forEach((deploy) -> Delivery.of(deploy).ifPresent(deliveries::add));
		return deliveries;
	}

}
