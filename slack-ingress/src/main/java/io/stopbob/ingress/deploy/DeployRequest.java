package io.stopbob.ingress.deploy;

import java.util.Locale;

import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.Target;

/**
 * What a person asked for, before it is checked: from the modal, the one-line command or
 * the API.
 *
 * @param reason optional words for the thread and the history
 * @param emergency why it must go out inside a freeze window; recorded and announced
 */
public record DeployRequest(String app, String environment, String sha, Person requester, String reason, Kind kind,
		String emergency) {

	public DeployRequest {
		sha = (sha != null) ? sha.strip().toLowerCase(Locale.ROOT) : null;
		emergency = (emergency != null && !emergency.isBlank()) ? emergency.strip() : null;
	}

	public DeployRequest(String app, String environment, String sha, Person requester, String reason, Kind kind) {
		this(app, environment, sha, requester, reason, kind, null);
	}

	public Target target() {
		return new Target(this.app, this.environment);
	}

	public String shortSha() {
		return (this.sha.length() > 7) ? this.sha.substring(0, 7) : this.sha;
	}

}
