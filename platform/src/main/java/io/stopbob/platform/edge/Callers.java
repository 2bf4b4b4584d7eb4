package io.stopbob.platform.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The named callers and the hashes of their tokens. A token is matched by its SHA-256,
 * compared in constant time against every caller's, so neither the token nor which caller
 * came close leaks.
 */
public final class Callers {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

	private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

	private final Map<String, byte[]> hashes;

	private Callers(Map<String, byte[]> hashes) {
		this.hashes = Map.copyOf(hashes);
	}

	/**
	 * The callers the settings name; a malformed entry stops the service with the entry
	 * named (never its token).
	 */
	public static Callers of(EdgeProperties properties) {
		Map<String, byte[]> hashes = new LinkedHashMap<>();
		properties.callers().forEach((name, hash) -> add(hashes, name, hash, "stop.edge.callers." + name));
		if (properties.callersFile() != null && !properties.callersFile().isBlank()) {
			List<String> lines;
			try {
				lines = Files.readAllLines(Path.of(properties.callersFile()), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read the callers file " + properties.callersFile(), ex);
			}
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i).strip();
				if (line.isEmpty() || line.startsWith("#")) {
					continue;
				}
				String[] fields = line.split("\\s+");
				String where = properties.callersFile() + " line " + (i + 1);
				if (fields.length != 2) {
					throw new IllegalStateException(where + ": expected '<name> sha256:<hex>'");
				}
				add(hashes, fields[0], fields[1], where);
			}
		}
		if (properties.token() != null && !properties.token().isBlank()) {
			add(hashes, properties.tokenName(), hashOf(properties.token()), "STOP_API_TOKEN");
		}
		return new Callers(hashes);
	}

	private static void add(Map<String, byte[]> hashes, String name, String hash, String where) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalStateException(
					where + ": a caller's name is 1 to 64 letters, digits, '.', '_', '@' or '-'");
		}
		if (hash == null || !HASH.matcher(hash).matches()) {
			throw new IllegalStateException(where + ": a token is given as sha256:<64 lowercase hex digits> of it"
					+ " (e.g. printf %s \"$TOKEN\" | sha256sum)");
		}
		if (hashes.putIfAbsent(name, HexFormat.of().parseHex(hash.substring("sha256:".length()))) != null) {
			throw new IllegalStateException(where + ": " + name + " is named twice");
		}
	}

	/** The caller holding this token, if any. */
	public Optional<String> holderOf(String token) {
		byte[] offered = sha256(token);
		String holder = null;
		for (Map.Entry<String, byte[]> caller : this.hashes.entrySet()) {
			if (MessageDigest.isEqual(offered, caller.getValue())) {
				holder = caller.getKey();
			}
		}
		return Optional.ofNullable(holder);
	}

	/** A token as the callers file names it: {@code sha256:<hex>}. */
	public static String hashOf(String token) {
		return "sha256:" + HexFormat.of().formatHex(sha256(token));
	}

	public boolean none() {
		return this.hashes.isEmpty();
	}

	static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
