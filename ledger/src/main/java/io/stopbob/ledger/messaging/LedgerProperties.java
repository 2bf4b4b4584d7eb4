package io.stopbob.ledger.messaging;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.operations.Board;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much of the log each service holds in memory; older history is read from the log.
 *
 * @param finishedDeploys finished deploys held for history, stats, rollbacks and the
 * dashboard, about 2 KB each (bench replay): the default takes 40 MB of a 256 MB heap
 * @param greenBuildsPerTarget the latest green builds per target a rollback may reuse
 * without waiting for CI; an older SHA is built again
 * @param releasesPerTarget the newest successful deploys per target, kept whatever the
 * window: what runs, and where a rollback may go back to
 * @param operationIdsRemembered ids of the newest lock, queue, approval and preference
 * changes, to know a second copy (see {@link Board})
 * @param decidedApprovals decided approvals held: a deploy is approved just before it
 * starts, never thousands of decisions earlier
 */
@ConfigurationProperties("stop.ledger")
public record LedgerProperties(@DefaultValue("20000") int finishedDeploys,
		@DefaultValue("100") int greenBuildsPerTarget, @DefaultValue("20") int releasesPerTarget,
		@DefaultValue("10000") int operationIdsRemembered, @DefaultValue("10000") int decidedApprovals) {

	Ledger.Limits ledgerLimits() {
		return new Ledger.Limits(this.finishedDeploys, this.greenBuildsPerTarget, this.releasesPerTarget);
	}

	Board.Limits boardLimits() {
		return new Board.Limits(this.operationIdsRemembered, this.decidedApprovals);
	}

}
