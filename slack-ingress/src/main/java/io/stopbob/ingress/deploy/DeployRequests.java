package io.stopbob.ingress.deploy;

import io.stopbob.ledger.PipelineEvent.Requested;

/** Port: puts an accepted request on the pipeline, returning once the log has it. */
public interface DeployRequests {

	/**
	 * @throws Unconfirmed when the log did not confirm it in time: it may still start
	 */
	void publish(Requested requested);

	/**
	 * The request was handed to the log, which did not say whether it took it: it may
	 * still start, so nobody may be told that nothing changed. The message says what to
	 * tell the person.
	 */
	class Unconfirmed extends RuntimeException {

		public Unconfirmed(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
