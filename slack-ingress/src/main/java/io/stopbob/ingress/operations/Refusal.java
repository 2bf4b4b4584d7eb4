package io.stopbob.ingress.operations;

/**
 * A command that cannot be done as asked, with the words the person reads. Nothing was
 * changed.
 */
public class Refusal extends RuntimeException {

	public Refusal(String message) {
		super(message, null, false, false);
	}

}
