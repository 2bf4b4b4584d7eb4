package io.stopbob.platform.edge;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Who may call a service over HTTP, and which paths carry their own proof instead (a
 * Slack or GitHub signature). A caller is a name, listed in the catalog's
 * {@code deployers} like a Slack user id, and the SHA-256 of its token: the tokens
 * themselves are never configured, only their hashes.
 *
 * @param callers name to {@code sha256:<64 hex digits>} of the caller's token
 * @param callersFile a file of {@code <name> sha256:<hex>} lines
 * ({@code STOP_API_CALLERS_FILE}), e.g. a mounted secret; {@code #} starts a comment
 * @param token one token from the environment ({@code STOP_API_TOKEN}), for a single
 * caller named {@code tokenName}: the local stack's and a quick setup's
 * @param tokenName the caller that {@code token} names ({@code STOP_API_USER})
 * @param openPaths paths that authenticate each request themselves; health probes are
 * always open
 * @param maxBody the largest request body any path reads; a larger one is refused before
 * a byte of it is read
 */
@ConfigurationProperties("stop.edge")
public record EdgeProperties(Map<String, String> callers, String callersFile, String token,
		@DefaultValue("api") String tokenName, List<String> openPaths, @DefaultValue("256KB") DataSize maxBody) {

	public EdgeProperties {
		callers = (callers != null) ? Map.copyOf(callers) : Map.of();
		openPaths = (openPaths != null) ? List.copyOf(openPaths) : List.of();
	}

}
