package io.stopbob.ledger.messaging;

import java.time.Instant;

import io.stopbob.events.TargetOperation;

import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.operations.Board;
import io.stopbob.platform.bus.BusListeners;
import io.stopbob.platform.bus.PartitionRestore.Mode;
import io.stopbob.platform.bus.RestoringListener;
import io.stopbob.platform.bus.UnchainedEventException;
import org.apache.avro.specific.SpecificRecord;

/**
 * A service's listener on the pipeline topics that keeps its ledger: every record is
 * applied in log order, and the service's work for an event runs with the deploy as the
 * ledger has it then (see {@link RestoringListener} for when work runs and when it counts
 * as done).
 */
public abstract class LedgerListener extends RestoringListener {

	protected final Ledger ledger;

	/** The board of target operations, where the service follows them; else null. */
	private final Board board;

	protected LedgerListener(Ledger ledger, BusListeners bus) {
		this(ledger, null, bus);
	}

	protected LedgerListener(Ledger ledger, Board board, BusListeners bus) {
		super(bus, new LedgerState(ledger, board));
		this.ledger = ledger;
		this.board = board;
	}

	@Override
	protected void apply(SpecificRecord event, Mode mode) {
		if (event instanceof TargetOperation operation && this.board != null) {
			this.board.apply(OperationMapping.toDomain(operation));
		}
		else {
			this.ledger.apply(EventMapping.toDomain(event));
		}
	}

	@Override
	protected final void act(SpecificRecord event, boolean uncertain) {
		PipelineEvent domain = EventMapping.toDomain(event);
		this.ledger.find(domain.deployId()).ifPresent((deploy) -> onEvent(domain, deploy, uncertain));
	}

	/**
	 * The service's work for an event, with its deploy as it stands now.
	 * @param uncertain it may have been done before: look for the side effect first
	 */
	protected abstract void onEvent(PipelineEvent event, Deploy deploy, boolean uncertain);

	/**
	 * Acts on the event only if its deploy's chain is whole: a request, then a tag and a
	 * build of its SHA, as only the pipeline writes them. A link still missing within
	 * {@link UnchainedEventException#LINK_GRACE} of the event may be on another topic not
	 * read yet: waited for; otherwise the record goes to the DLT with the missing link.
	 */
	protected final void requireChain(Deploy deploy, PipelineEvent event) {
		// Asked first: a link may arrive meanwhile (the ledger is applied on another
		// thread), and one that arrived must not turn "not read yet" into "broken".
		boolean missing = deploy.missesALink();
		deploy.brokenLink().ifPresent((reason) -> {
			if (missing && event.meta().occurredAt().isAfter(Instant.now().minus(UnchainedEventException.LINK_GRACE))) {
				throw UnchainedEventException.awaited(reason);
			}
			throw UnchainedEventException.broken(reason);
		});
	}

	/**
	 * Picks up work of a deploy that the ledger says is unfinished, in its target's lane;
	 * a deploy of an app no longer in the catalog is history only.
	 */
	protected final void resume(Deploy deploy, String what, Runnable work) {
		if (known(deploy.target().app())) {
			redrive(deploy.target().toString(), "deploy " + deploy.deployId() + ": " + what, work);
		}
	}

}
