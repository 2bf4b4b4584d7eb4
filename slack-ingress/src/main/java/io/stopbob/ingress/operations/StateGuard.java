package io.stopbob.ingress.operations;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether this instance's read models (ledger, board) hold every target yet. Until they
 * do, nothing that depends on them is answered or decided here: a status from half the
 * log would be wrong, and a lock not read yet would pass.
 */
public class StateGuard {

	/** Seconds a caller is told to wait before asking again. */
	public static final int RETRY_AFTER_SECONDS = 5;

	private final BooleanSupplier caughtUp;

	private final Supplier<Map<String, String>> progress;

	public StateGuard(BooleanSupplier caughtUp, Supplier<Map<String, String>> progress) {
		this.caughtUp = caughtUp;
		this.progress = progress;
	}

	public boolean caughtUp() {
		return this.caughtUp.getAsBoolean();
	}

	/** Refuses, saying why, until the read models have caught up. */
	public void require() {
		if (!caughtUp()) {
			throw new CatchingUp(describe());
		}
	}

	/** What a person reads meanwhile. */
	public String describe() {
		Map<String, String> progress = this.progress.get();
		long read = progress.values().stream().filter("read"::equals).count();
		return "StoP Bob is catching up with the log after a start (" + read + " of " + progress.size()
				+ " partitions read), so it cannot answer from all targets yet. Nothing was changed; try again in "
				+ RETRY_AFTER_SECONDS + " seconds.";
	}

	/** Not now: the instance is catching up with the log. */
	public static class CatchingUp extends Refusal {

		CatchingUp(String message) {
			super(message);
		}

	}

}
