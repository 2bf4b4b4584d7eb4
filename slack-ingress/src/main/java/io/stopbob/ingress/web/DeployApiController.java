package io.stopbob.ingress.web;

import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.deploy.DeployRequests;
import io.stopbob.ingress.deploy.Problem;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.operations.History;
import io.stopbob.ingress.operations.PipelineLog;
import io.stopbob.ingress.operations.Refusal;
import io.stopbob.ingress.operations.Reports;
import io.stopbob.ingress.operations.Rollbacks;
import io.stopbob.ingress.operations.Targets;
import io.stopbob.ledger.Deploy;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;
import io.stopbob.ledger.stats.DeliveryStats;
import io.stopbob.platform.catalog.Catalog;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pipeline's door for automation and the local command line: the same checks and the
 * same thread as the modal. The edge has named the caller before the body is read; the
 * caller is who deploys, as the catalog's deployers list it.
 */
@RestController
class DeployApiController {

	private final RequestDeploy requestDeploy;

	private final Ledger ledger;

	private final Rollbacks rollbacks;

	private final Catalog catalog;

	private final Reports reports;

	private final History history;

	DeployApiController(RequestDeploy requestDeploy, Ledger ledger, Rollbacks rollbacks, Catalog catalog,
			Reports reports, History history) {
		this.reports = reports;
		this.history = history;
		this.requestDeploy = requestDeploy;
		this.ledger = ledger;
		this.rollbacks = rollbacks;
		this.catalog = catalog;
	}

	@PostMapping("/api/deploys")
	ResponseEntity<Map<String, Object>> request(Principal caller, @RequestBody(required = false) DeployBody body) {
		if (body == null || body.app() == null || body.environment() == null
				|| (body.sha() == null && !body.rollback())) {
			return ResponseEntity.badRequest()
				.body(Map.of("errors",
						List.of(Map.of("field", "body", "message",
								"send JSON {app, environment, sha, reason?, kind?: deploy|rollback, emergency?};"
										+ " a rollback may leave out the sha"))));
		}
		// The token says who is asking; a body cannot.
		if (body.user() != null && !body.user().equals(caller.getName())) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN)
				.body(Map.of("errors", List.of(Map.of("field", "user", "message", "this token is " + caller.getName()
						+ "'s: it acts as " + caller.getName() + " and cannot act as " + body.user()))));
		}
		Person person = new Person(caller.getName(), caller.getName());
		RequestDeploy.Result result;
		try {
			result = body.rollback() ? rollback(body, person)
					: this.requestDeploy
						.request(new DeployRequest(body.app().toLowerCase(), body.environment().toLowerCase(),
								body.sha(), person, body.reason(), Kind.DEPLOY, body.emergency()));
		}
		catch (Refusal refusal) {
			return ResponseEntity.status(HttpStatus.CONFLICT)
				.body(Map.of("errors", List.of(Map.of("field", "environment", "message", refusal.getMessage()))));
		}
		catch (DeployRequests.Unconfirmed unconfirmed) {
			// 504: the answer was not had in time; the request may still take effect.
			return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
				.body(Map.of("errors", List.of(Map.of("field", "deploy", "message", unconfirmed.getMessage()))));
		}
		if (result instanceof RequestDeploy.Result.Refused refused) {
			return ResponseEntity.status(status(refused.problems()))
				.body(Map.of("errors",
						refused.problems()
							.stream()
							.map((problem) -> Map.of("field", problem.field().name().toLowerCase(), "message",
									problem.message()))
							.toList()));
		}
		RequestDeploy.Result.Accepted accepted = (RequestDeploy.Result.Accepted) result;
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("deployId", accepted.deployId());
		answer.put("thread", Map.of("channel", accepted.thread().channel(), "ts", accepted.thread().ts()));
		if (accepted.awaitingApproval()) {
			answer.put("awaitingApprovalUntil", accepted.approvalExpiresAt().toString());
		}
		return ResponseEntity.accepted().body(answer);
	}

	private RequestDeploy.Result rollback(DeployBody body, Person person) {
		if (body.sha() == null) {
			return this.rollbacks.rollback(body.app(), body.environment(), person);
		}
		return this.rollbacks.rollback(Targets.find(this.catalog, body.app(), body.environment()).target(), body.sha(),
				person);
	}

	/** The four delivery figures; durations in seconds, the rate from 0 to 1. */
	@GetMapping("/api/stats")
	ResponseEntity<Map<String, Object>> stats(@RequestParam(name = "app", required = false) String app,
			@RequestParam(name = "days", defaultValue = "30") int days) {
		DeliveryStats.Report report;
		try {
			report = this.reports.statsReport(app, days);
		}
		catch (Refusal refusal) {
			return ResponseEntity.badRequest()
				.body(Map.of("errors", List.of(Map.of("field", "query", "message", refusal.getMessage()))));
		}
		catch (PipelineLog.Unreadable ex) {
			return unreadable(ex);
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("from", report.from().toString());
		view.put("to", report.to().toString());
		view.put("deployFrequency", Map.of("deploys", report.deployFrequency().deploys(), "perDay",
				report.deployFrequency().perDay(), "band", report.deployFrequency().band().name()));
		view.put("leadTime", distribution(report.leadTime()));
		Map<String, Object> failures = new LinkedHashMap<>();
		failures.put("failed", report.changeFailureRate().failed());
		failures.put("finished", report.changeFailureRate().finished());
		failures.put("rate", report.changeFailureRate().rate());
		failures.put("band", report.changeFailureRate().band().name());
		view.put("changeFailureRate", failures);
		view.put("timeToRestore", distribution(report.timeToRestore()));
		return ResponseEntity.ok(view);
	}

	private static Map<String, Object> distribution(DeliveryStats.Distribution figure) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("count", figure.count());
		view.put("p50Seconds", (figure.p50() != null) ? figure.p50().toSeconds() : null);
		view.put("p90Seconds", (figure.p90() != null) ? figure.p90().toSeconds() : null);
		view.put("band", figure.band().name());
		return view;
	}

	/**
	 * The target's deploys asked for in {@code [from, to)} (ISO-8601 instants; {@code to}
	 * defaults to now), the newest first; from the log where the range reaches past what
	 * is held.
	 */
	@GetMapping("/api/deploys")
	ResponseEntity<Map<String, Object>> list(@RequestParam String app, @RequestParam String environment,
			@RequestParam String from, @RequestParam(required = false) String to) {
		Instant start;
		Instant end;
		try {
			start = Instant.parse(from);
			end = (to != null) ? Instant.parse(to) : Instant.now();
		}
		catch (DateTimeParseException ex) {
			return ResponseEntity.badRequest()
				.body(Map.of("errors", List.of(Map.of("field", "query", "message",
						"from and to are ISO-8601 instants, e.g. 2026-11-01T00:00:00Z"))));
		}
		try {
			Target target = Targets.find(this.catalog, app, environment).target();
			List<Map<String, Object>> deploys = this.history.between(target, start, end)
				.stream()
				.map(DeployApiController::view)
				.toList();
			return ResponseEntity.ok(Map.of("from", start.toString(), "to", end.toString(), "deploys", deploys));
		}
		catch (Refusal refusal) {
			return ResponseEntity.badRequest()
				.body(Map.of("errors", List.of(Map.of("field", "query", "message", refusal.getMessage()))));
		}
		catch (PipelineLog.Unreadable ex) {
			return unreadable(ex);
		}
	}

	/** Older history that could not be read whole: nothing partial is answered. */
	private static ResponseEntity<Map<String, Object>> unreadable(PipelineLog.Unreadable ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "30")
			.body(Map.of("errors",
					List.of(Map.of("field", "log", "message", "the log could not be read: " + ex.getMessage()))));
	}

	@GetMapping("/api/deploys/{deployId}")
	ResponseEntity<Map<String, Object>> show(@PathVariable String deployId) {
		return this.ledger.find(deployId)
			.map((deploy) -> ResponseEntity.ok(view(deploy)))
			.orElseGet(
					() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
						.body(Map
							.of("errors",
									List.of(Map.of("field", "deployId", "message", "no deploy " + deployId
											+ " in flight or among the newest finished; an older one is listed by"
											+ " GET /api/deploys?app=&environment=&from=")))));
	}

	private static Map<String, Object> view(Deploy deploy) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("deployId", deploy.deployId());
		view.put("app", deploy.target().app());
		view.put("environment", deploy.target().environment());
		view.put("stage", deploy.stage().name());
		deploy.finish().ifPresent((finished) -> {
			view.put("outcome", finished.outcome().name());
			view.put("endedIn", finished.endedIn());
			view.put("reason", finished.reason());
		});
		deploy.duration().ifPresent((duration) -> view.put("durationMillis", duration.toMillis()));
		List<PipelineEvent> events = new ArrayList<>();
		deploy.request().ifPresent(events::add);
		deploy.tag().ifPresent(events::add);
		deploy.build().ifPresent(events::add);
		deploy.progress().ifPresent(events::add);
		deploy.finish().ifPresent(events::add);
		view.put("events", events);
		return view;
	}

	private static HttpStatus status(List<Problem> problems) {
		if (problems.stream().anyMatch((problem) -> problem.kind() == Problem.Kind.INVALID)) {
			return HttpStatus.BAD_REQUEST;
		}
		if (problems.stream().anyMatch((problem) -> problem.kind() == Problem.Kind.FORBIDDEN)) {
			return HttpStatus.FORBIDDEN;
		}
		return HttpStatus.CONFLICT;
	}

	/**
	 * The request body of {@code POST /api/deploys}.
	 *
	 * @param user if given, must be the caller the token names
	 * @param kind {@code deploy} (the default) or {@code rollback}; a rollback without a
	 * SHA goes back to the last good release, one with a SHA only to an earlier
	 * successful release of the target
	 * @param emergency the reason to deploy inside a freeze window
	 */
	record DeployBody(String app, String environment, String sha, String reason, String user, String kind,
			String emergency) {

		boolean rollback() {
			return "rollback".equalsIgnoreCase(this.kind);
		}

	}

}
