package io.stopbob.github;

/**
 * GitHub refused or kept failing. {@link #permanent()} when another try cannot help (bad
 * token, no access, no such repository); the message says what a person can do about it.
 */
public class GitHubException extends RuntimeException {

	private final boolean permanent;

	public GitHubException(String message, boolean permanent, Throwable cause) {
		super(message, cause);
		this.permanent = permanent;
	}

	public boolean permanent() {
		return this.permanent;
	}

}
