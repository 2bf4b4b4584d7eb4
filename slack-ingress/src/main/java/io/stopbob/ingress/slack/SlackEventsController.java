package io.stopbob.ingress.slack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bolt's default path. Slash commands, interactivity and events all arrive here; nothing
 * unsigned, timestamped more than five minutes from now (either way), replayed (on any
 * instance) or oversized gets further than this method. Without a signing secret the path
 * is not served at all: there is nothing to verify a request with.
 */
@RestController
class SlackEventsController {

	/** Slack's payloads are a few KB; a modal submission stays well under this. */
	static final int MAX_BODY = 64 * 1024;

	private final App app;

	private final SlackRequestParser parser;

	private final Optional<SlackSignature.Verifier> verifier;

	private final SignedRequests signedRequests;

	private final Clock clock;

	SlackEventsController(App app, ObjectProvider<SlackSignature.Verifier> verifier, SignedRequests signedRequests,
			Clock clock) {
		this.app = app;
		this.parser = new SlackRequestParser(app.config());
		this.verifier = Optional.ofNullable(verifier.getIfAvailable());
		this.signedRequests = signedRequests;
		this.clock = clock;
	}

	@PostMapping("/slack/events")
	ResponseEntity<String> handle(HttpServletRequest servletRequest) throws Exception {
		if (this.verifier.isEmpty()) {
			return error(HttpStatus.NOT_FOUND,
					"/slack/events is not served: SLACK_SIGNING_SECRET is not set, so no request can be verified");
		}
		if (servletRequest.getContentLengthLong() > MAX_BODY) {
			return error(HttpStatus.CONTENT_TOO_LARGE, "request body over " + MAX_BODY + " bytes");
		}
		String body = read(servletRequest.getInputStream());
		if (body == null) {
			return error(HttpStatus.CONTENT_TOO_LARGE, "request body over " + MAX_BODY + " bytes");
		}
		Map<String, List<String>> headers = headers(servletRequest);
		String timestamp = first(headers, SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP);
		String signature = first(headers, SlackSignature.HeaderNames.X_SLACK_SIGNATURE);
		if (timestamp == null || signature == null
				|| !this.verifier.get().isValid(timestamp, body, signature, this.clock.millis())) {
			return error(HttpStatus.UNAUTHORIZED, "invalid request signature");
		}
		Instant signedAt = signedAt(timestamp);
		if (signedAt == null) {
			return error(HttpStatus.UNAUTHORIZED,
					"request timestamp more than " + SignedRequests.WINDOW.toMinutes() + " minutes from now");
		}
		switch (this.signedRequests.claim(signature, signedAt)) {
			case REPLAYED -> {
				return error(HttpStatus.UNAUTHORIZED, "replayed request");
			}
			case UNKNOWN -> {
				return error(HttpStatus.SERVICE_UNAVAILABLE,
						"cannot check this request against replays now (the event log is not answering); try again");
			}
			case FIRST -> {
			}
		}
		Request<?> request = this.parser.parse(SlackRequestParser.HttpRequest.builder()
			.requestUri(servletRequest.getRequestURI())
			.queryString(Map.of())
			.headers(new RequestHeaders(headers))
			.requestBody(body)
			.remoteAddress(servletRequest.getRemoteAddr())
			.build());
		if (request == null) {
			return error(HttpStatus.BAD_REQUEST, "not a Slack request this app understands");
		}
		Response response = this.app.run(request);
		HttpHeaders responseHeaders = new HttpHeaders();
		response.getHeaders().forEach(responseHeaders::addAll);
		if (response.getContentType() != null) {
			responseHeaders.setContentType(MediaType.parseMediaType(response.getContentType()));
		}
		return ResponseEntity.status(response.getStatusCode()).headers(responseHeaders).body(response.getBody());
	}

	/** The request's time, if it is within the window either side of now; else null. */
	private Instant signedAt(String timestamp) {
		try {
			Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp));
			long offBy = Math.abs(Duration.between(at, this.clock.instant()).toSeconds());
			return (offBy <= SignedRequests.WINDOW.toSeconds()) ? at : null;
		}
		catch (NumberFormatException | java.time.DateTimeException ex) {
			return null;
		}
	}

	private static String read(InputStream in) throws IOException {
		byte[] bytes = in.readNBytes(MAX_BODY + 1);
		return (bytes.length > MAX_BODY) ? null : new String(bytes, StandardCharsets.UTF_8);
	}

	private static Map<String, List<String>> headers(HttpServletRequest request) {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (String name : Collections.list(request.getHeaderNames())) {
			headers.put(name.toLowerCase(), Collections.list(request.getHeaders(name)));
		}
		return headers;
	}

	private static String first(Map<String, List<String>> headers, String name) {
		List<String> values = headers.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	private static ResponseEntity<String> error(HttpStatus status, String message) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"error\":\"" + message + "\"}");
	}

}
