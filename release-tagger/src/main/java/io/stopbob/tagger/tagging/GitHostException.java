package io.stopbob.tagger.tagging;

import io.stopbob.platform.retry.OutsideFailure;

/**
 * The git host refused or failed. {@link #permanent()} when retrying cannot help (bad
 * credentials, no access, no such repository); the message says what a person can do
 * about it.
 */
public class GitHostException extends RuntimeException implements OutsideFailure {

	private final boolean permanent;

	public GitHostException(String message, boolean permanent, Throwable cause) {
		super(message, cause);
		this.permanent = permanent;
	}

	@Override
	public boolean permanent() {
		return this.permanent;
	}

	@Override
	public String system() {
		return "the git host";
	}

}
