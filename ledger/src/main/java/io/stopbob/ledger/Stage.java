package io.stopbob.ledger;

/** Where a deploy is in the pipeline. A deploy only moves forward through these. */
public enum Stage {

	REQUESTED, TAGGED, BUILT, ROLLING_OUT, FINISHED;

	public boolean isAfter(Stage other) {
		return compareTo(other) > 0;
	}

}
