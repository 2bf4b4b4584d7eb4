package io.stopbob.schemas;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The record key of every pipeline event: {@code app/environment}. All events of one
 * target land on one partition, so the consumer owning it is the target's lock.
 */
public record TargetKey(String app, String environment) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

	public TargetKey {
		requireName(app, "app");
		requireName(environment, "environment");
	}

	public static TargetKey parse(String key) {
		Objects.requireNonNull(key, "key");
		int slash = key.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("record key '" + key + "' is not app/environment");
		}
		return new TargetKey(key.substring(0, slash), key.substring(slash + 1));
	}

	@Override
	public String toString() {
		return this.app + "/" + this.environment;
	}

	private static void requireName(String value, String what) {
		if (value == null || !NAME.matcher(value).matches()) {
			throw new IllegalArgumentException(
					what + " '" + value + "' must be lower-case letters, digits, '.', '_' or '-' (at most 63)");
		}
	}

}
