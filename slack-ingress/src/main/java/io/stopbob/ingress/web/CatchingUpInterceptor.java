package io.stopbob.ingress.web;

import io.stopbob.ingress.operations.StateGuard;
import io.stopbob.platform.edge.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The API and the dashboard answer from every target or not at all: 503 with
 * {@code Retry-After} while this instance catches up with the log.
 */
class CatchingUpInterceptor implements HandlerInterceptor {

	private final StateGuard guard;

	CatchingUpInterceptor(StateGuard guard) {
		this.guard = guard;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		if (this.guard.caughtUp()) {
			return true;
		}
		response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(StateGuard.RETRY_AFTER_SECONDS));
		Refusals.write(response, HttpStatus.SERVICE_UNAVAILABLE, "state", "catching up: " + this.guard.describe());
		return false;
	}

}
