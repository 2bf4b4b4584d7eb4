package io.stopbob.platform.bus;

/**
 * A well-formed event for an app the catalog does not have: no service could act on it
 * (or should invent an end for it), so when it comes live it goes to the DLT with this
 * reason. As history it is only state.
 */
public class UnknownAppException extends RuntimeException {

	UnknownAppException(String message) {
		super(message);
	}

}
