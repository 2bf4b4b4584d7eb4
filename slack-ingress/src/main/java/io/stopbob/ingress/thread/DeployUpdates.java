package io.stopbob.ingress.thread;

import io.stopbob.ledger.Deploy;

/** Port: whoever shows deploys live (the dashboard) hears that one changed. */
public interface DeployUpdates {

	void changed(Deploy deploy);

}
