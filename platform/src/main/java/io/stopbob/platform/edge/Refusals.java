package io.stopbob.platform.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The edge's refusals, in the API's error shape: {@code {"errors": [{"field",
 * "message"}]}}.
 */
public final class Refusals {

	private Refusals() {
	}

	/** Writes the refusal; the message is the edge's own text, never a caller's. */
	public static void write(HttpServletResponse response, HttpStatus status, String field, String message)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write("{\"errors\":[{\"field\":\"" + field + "\",\"message\":\"" + message + "\"}]}");
	}

}
