package io.stopbob.cli.stubs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.FormParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * What the outside systems remember between calls, so a service that restarts and looks
 * for its earlier side effect (a Slack message by its metadata, a tag or release by its
 * name, a CodeDeploy deployment by its description) finds it, as it would for real.
 * Answers only the stubs that name it ({@link #NAME}); the answer is made when the call
 * is served, so the next call sees it.
 */
final class Remembered implements ResponseDefinitionTransformerV2 {

	static final String NAME = "remembered";

	private final List<Map<String, Object>> messages = new CopyOnWriteArrayList<>();

	private final Map<String, Map<String, Object>> refs = new ConcurrentHashMap<>();

	private final Map<String, Map<String, Object>> releases = new ConcurrentHashMap<>();

	private final List<Map<String, Object>> deployments = new CopyOnWriteArrayList<>();

	private final AtomicLong ts = new AtomicLong(1_764_000_000_000_000L);

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public boolean applyGlobally() {
		return false;
	}

	@Override
	public ResponseDefinition transform(ServeEvent event) {
		ResponseDefinition answer = answer(event);
		Integer delay = event.getStubMapping().getResponse().getFixedDelayMilliseconds();
		// A delay the test asked for (the side effect made, the answer late) stays.
		return (delay == null || answer == event.getResponseDefinition()) ? answer
				: ResponseDefinitionBuilder.like(answer).withFixedDelay(delay).build();
	}

	private ResponseDefinition answer(ServeEvent event) {
		Request request = event.getRequest();
		String url = request.getUrl();
		String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
		String target = request.getHeader("X-Amz-Target");
		if (path.equals("/api/chat.postMessage")) {
			return json(200, postMessage(request));
		}
		if (path.equals("/api/conversations.open")) {
			// The direct-message channel with a user: messages posted to the user id.
			return json(200, Map.of("ok", true, "channel", Map.of("id", form(request, "users"))));
		}
		if (path.equals("/api/conversations.replies") || path.equals("/api/conversations.history")) {
			return json(200, conversation(request, path.endsWith("replies")));
		}
		if (path.endsWith("/git/refs") && request.getMethod().getName().equals("POST")) {
			Map<String, Object> body = body(request);
			Map<String, Object> ref = Map.of("ref", body.get("ref"), "object",
					Map.of("sha", body.get("sha"), "type", "tag"));
			this.refs.put(path + "/" + String.valueOf(body.get("ref")).replaceFirst("^refs/", ""), ref);
			return json(201, ref);
		}
		if (path.contains("/git/refs/tags/")) {
			Map<String, Object> ref = this.refs.get(path);
			return (ref != null) ? json(200, ref) : json(404, Map.of("message", "Not Found"));
		}
		if (path.endsWith("/releases") && request.getMethod().getName().equals("POST")) {
			Map<String, Object> body = body(request);
			String repo = path.substring("/repos/".length(), path.length() - "/releases".length());
			Map<String, Object> release = Map.of("id", this.releases.size() + 1, "tag_name", body.get("tag_name"),
					"html_url", "https://github.com/" + repo + "/releases/tag/" + body.get("tag_name"));
			this.releases.put(path + "/tags/" + body.get("tag_name"), release);
			return json(201, release);
		}
		if (path.contains("/releases/tags/")) {
			Map<String, Object> release = this.releases.get(path);
			return (release != null) ? json(200, release) : json(404, Map.of("message", "Not Found"));
		}
		if (target != null && target.endsWith(".CreateDeployment")) {
			Map<String, Object> body = new LinkedHashMap<>(body(request));
			String given = event.getTransformerParameters().getString("deploymentId", null);
			body.put("deploymentId",
					(given != null) ? given : "d-" + Long.toString(this.ts.incrementAndGet(), 36).toUpperCase());
			this.deployments.add(body);
			return amzJson(Map.of("deploymentId", body.get("deploymentId")));
		}
		if (target != null && target.endsWith(".ListDeployments")) {
			Map<String, Object> body = body(request);
			return amzJson(Map.of("deployments",
					this.deployments.stream()
						.filter((deployment) -> deployment.get("applicationName").equals(body.get("applicationName"))
								&& deployment.get("deploymentGroupName").equals(body.get("deploymentGroupName")))
						.map((deployment) -> deployment.get("deploymentId"))
						.toList()));
		}
		if (target != null && target.endsWith(".BatchGetDeployments")) {
			List<?> ids = (List<?>) body(request).get("deploymentIds");
			return amzJson(Map.of("deploymentsInfo", this.deployments.stream()
				.filter((deployment) -> ids.contains(deployment.get("deploymentId")))
				.map((deployment) -> Map.of("deploymentId", deployment.get("deploymentId"), "applicationName",
						deployment.get("applicationName"), "deploymentGroupName", deployment.get("deploymentGroupName"),
						"description", deployment.getOrDefault("description", ""), "status", "InProgress"))
				.toList()));
		}
		return event.getResponseDefinition();
	}

	private Map<String, Object> postMessage(Request request) {
		Map<String, Object> message = new LinkedHashMap<>();
		long next = this.ts.incrementAndGet();
		message.put("type", "message");
		message.put("ts", (next / 1_000_000) + "." + String.format("%06d", next % 1_000_000));
		message.put("channel", form(request, "channel"));
		message.put("text", form(request, "text"));
		if (form(request, "thread_ts") != null) {
			message.put("thread_ts", form(request, "thread_ts"));
		}
		if (form(request, "metadata") != null) {
			message.put("metadata", Json.read(form(request, "metadata"), Map.class));
		}
		this.messages.add(message);
		return Map.of("ok", true, "channel", message.get("channel"), "ts", message.get("ts"), "message", message);
	}

	private Map<String, Object> conversation(Request request, boolean replies) {
		String channel = form(request, "channel");
		String ts = form(request, replies ? "ts" : "oldest");
		List<Map<String, Object>> found = new ArrayList<>();
		for (Map<String, Object> message : this.messages) {
			boolean inChannel = message.get("channel").equals(channel);
			boolean matches = replies ? (ts.equals(message.get("ts")) || ts.equals(message.get("thread_ts")))
					: (ts == null || ((String) message.get("ts")).compareTo(ts) >= 0);
			if (inChannel && matches) {
				found.add(message);
			}
		}
		return Map.of("ok", true, "messages", found, "has_more", false);
	}

	private static String form(Request request, String name) {
		FormParameter parameter = request.formParameters().get(name);
		return (parameter != null) ? parameter.firstValue() : null;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> body(Request request) {
		return Json.read(request.getBodyAsString(), Map.class);
	}

	private static ResponseDefinition json(int status, Object body) {
		return responseDefinition().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(compact(body))
			.build();
	}

	private static ResponseDefinition amzJson(Object body) {
		return responseDefinition().withStatus(200)
			.withHeader("Content-Type", "application/x-amz-json-1.1")
			.withBody(compact(body))
			.build();
	}

	/** One line, as the real APIs answer (WireMock's own writer indents). */
	private static String compact(Object body) {
		try {
			return Json.getObjectMapper().writeValueAsString(body);
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot write " + body, ex);
		}
	}

}
