package io.stopbob.tagger.github;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.stopbob.tagger.ci.CiGate;
import io.stopbob.tagger.config.TaggerProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * GitHub's webhooks for CI: {@code check_suite}, {@code workflow_run} and {@code status},
 * signed with the webhook secret ({@code X-Hub-Signature-256}, compared in constant
 * time). A delivery only says "look now": the verdict comes from asking GitHub for every
 * required check, the same way the poller does, so webhook and poller can race and still
 * give one outcome.
 */
@RestController
@ConditionalOnExpression("'${stop.tagger.github.webhook-secret:}' != ''")
class GitHubWebhookController {

	private final CiGate ciGate;

	private final byte[] secret;

	private final JsonMapper json = JsonMapper.builder().build();

	GitHubWebhookController(CiGate ciGate, TaggerProperties properties) {
		this.ciGate = ciGate;
		this.secret = properties.github().webhookSecret().getBytes(StandardCharsets.UTF_8);
	}

	@PostMapping("/webhooks/github")
	ResponseEntity<Map<String, String>> receive(@RequestHeader(name = "X-GitHub-Event", required = false) String event,
			@RequestHeader(name = "X-Hub-Signature-256", required = false) String signature,
			@RequestBody(required = false) byte[] body) {
		byte[] payload = (body != null) ? body : new byte[0];
		if (signature == null
				|| !MessageDigest.isEqual(expected(payload), signature.getBytes(StandardCharsets.UTF_8))) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "invalid signature"));
		}
		if ("ping".equals(event)) {
			return ResponseEntity.ok(Map.of("status", "pong"));
		}
		JsonNode root;
		try {
			root = this.json.readTree(payload);
		}
		catch (RuntimeException ex) {
			return ResponseEntity.badRequest().body(Map.of("error", "not JSON"));
		}
		String sha = switch ((event != null) ? event : "") {
			case "check_suite" -> root.path("check_suite").path("head_sha").asString(null);
			case "workflow_run" -> root.path("workflow_run").path("head_sha").asString(null);
			case "status" -> root.path("sha").asString(null);
			default -> null;
		};
		if (sha == null) {
			return ResponseEntity.accepted().body(Map.of("status", "ignored", "event", String.valueOf(event)));
		}
		this.ciGate.poke(sha);
		return ResponseEntity.accepted().body(Map.of("status", "checking", "sha", sha));
	}

	private byte[] expected(byte[] payload) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.secret, "HmacSHA256"));
			return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(payload))).getBytes(StandardCharsets.UTF_8);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
