package io.stopbob.ingress.command;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.stopbob.ingress.deploy.DeployRequest;
import io.stopbob.ingress.thread.SlackWorkspace.Button;
import io.stopbob.ingress.thread.ThreadMessages;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;

/**
 * The "Queue it" button under a busy refusal: it carries the refused request, so pressing
 * it queues exactly what was asked. Whoever presses it is the requester.
 */
public final class QueueButton {

	private QueueButton() {
	}

	public static Button of(DeployRequest request) {
		String value = String.join("&", encode(request.app()), encode(request.environment()), encode(request.sha()),
				encode(request.reason()), encode(request.emergency()));
		return new Button(ThreadMessages.QUEUE, "Queue it", value, "primary");
	}

	public static DeployRequest request(String value, Person presser) {
		List<String> parts = Arrays.stream(value.split("&", -1)).map(QueueButton::decode).toList();
		if (parts.size() != 5) {
			throw new IllegalArgumentException("not a queue button value: " + value);
		}
		return new DeployRequest(parts.get(0), parts.get(1), parts.get(2), presser, parts.get(3), Kind.DEPLOY,
				parts.get(4));
	}

	private static String encode(String part) {
		return (part != null) ? URLEncoder.encode(part, StandardCharsets.UTF_8) : "";
	}

	private static String decode(String part) {
		return part.isEmpty() ? null : URLDecoder.decode(part, StandardCharsets.UTF_8);
	}

}
