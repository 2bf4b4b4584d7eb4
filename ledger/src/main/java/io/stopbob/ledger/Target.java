package io.stopbob.ledger;

/** A deploy target: one environment of one app, e.g. {@code convertkit/production}. */
public record Target(String app, String environment) {

	@Override
	public String toString() {
		return this.app + "/" + this.environment;
	}

}
