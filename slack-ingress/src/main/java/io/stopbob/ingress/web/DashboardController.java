package io.stopbob.ingress.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard at {@code /}: one server-rendered page whose live part is fetched again
 * on each server-sent event, so progress and outcomes appear without a reload. Read-only,
 * and only for named callers (the edge asks the browser for a name and token).
 */
@RestController
class DashboardController {

	private static final MediaType HTML = new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);

	private final DashboardPage page;

	private final DashboardFeed feed;

	DashboardController(DashboardPage page, DashboardFeed feed) {
		this.page = page;
		this.feed = feed;
	}

	@GetMapping("/")
	ResponseEntity<String> dashboard() {
		return ResponseEntity.ok().contentType(HTML).body(this.page.full());
	}

	@GetMapping("/dashboard/live")
	ResponseEntity<String> live() {
		return ResponseEntity.ok().contentType(HTML).body(this.page.live());
	}

	@GetMapping(path = "/dashboard/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> events() {
		return this.feed.subscribe()
			.map(ResponseEntity::ok)
			.orElseGet(() -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "30").build());
	}

	@GetMapping("/deploys/{deployId}")
	ResponseEntity<String> thread(@PathVariable String deployId) {
		return this.page.thread(deployId)
			.map((html) -> ResponseEntity.ok().contentType(HTML).body(html))
			.orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
				.contentType(HTML)
				.body("<!doctype html><p>No deploy " + DashboardPage.escape(deployId) + ".</p>"));
	}

}
