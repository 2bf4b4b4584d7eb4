package io.stopbob.github;

import io.stopbob.platform.retry.OutsideFailure;

/**
 * GitHub refused or kept failing. {@link #permanent()} when another try cannot help (bad
 * token, no access, no such repository); the message says what a person can do about it.
 */
public class GitHubException extends RuntimeException implements OutsideFailure {

	private final boolean permanent;

	public GitHubException(String message, boolean permanent, Throwable cause) {
		super(message, cause);
		this.permanent = permanent;
	}

	@Override
	public boolean permanent() {
		return this.permanent;
	}

	@Override
	public String system() {
		return "GitHub";
	}

}
