package io.stopbob.ingress.operations;

import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.operations.Preference;

/**
 * Port: puts locks, queue entries, approvals and settings on the log, returning once it
 * has them.
 */
public interface OperationLog {

	void publish(Operation operation);

	void publish(Preference preference);

}
