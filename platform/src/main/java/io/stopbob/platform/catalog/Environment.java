package io.stopbob.platform.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One environment of an app: a deploy target.
 *
 * @param tagPrefix release tags start with it; CI filters on it (e.g.
 * {@code production-})
 * @param deployers who may deploy here
 * @param ci what must be green before the rollout
 * @param rollout how the release reaches the fleet
 * @param approval whether a second person must approve each deploy
 * @param freezes recurring windows in which deploys are refused without an emergency
 * reason
 */
public record Environment(
		@NotNull @Pattern(regexp = "[A-Za-z0-9._/-]+",
				message = "must be letters, digits, '.', '_', '/' or '-'") String tagPrefix,
		@DefaultValue @Valid Deployers deployers, @DefaultValue @Valid Ci ci, @NotNull @Valid Rollout rollout,
		@DefaultValue @Valid Approval approval, @DefaultValue List<@Valid FreezeWindow> freezes) {

	/** The freeze window in force at {@code now}, if any. */
	public Optional<FreezeWindow> frozenAt(Instant now) {
		return this.freezes.stream().filter((window) -> window.covers(now)).findFirst();
	}

	/**
	 * Who may deploy: Slack user ids and user-group ids. Both empty means everyone in the
	 * workspace, which suits staging; production should always name people.
	 */
	public record Deployers(@DefaultValue List<String> users, @DefaultValue List<String> groups) {

		public boolean everyone() {
			return this.users.isEmpty() && this.groups.isEmpty();
		}

		public boolean allows(String userId, Set<String> userGroups) {
			return everyone() || this.users.contains(userId) || this.groups.stream().anyMatch(userGroups::contains);
		}

	}

	/**
	 * @param required whether a deploy waits for a second person (one who may deploy
	 * here, not the requester)
	 * @param expiresAfter how long the request waits for them
	 */
	public record Approval(@DefaultValue("false") boolean required, @DefaultValue("20m") Duration expiresAfter) {
	}

	/**
	 * @param requiredChecks check names that must all pass; empty waits for every check
	 * reported
	 * @param timeout how long to wait for them before the deploy fails
	 * @param command for the local CI adapter: the command run in a checkout of the tag
	 */
	public record Ci(@DefaultValue List<String> requiredChecks, @DefaultValue("30m") Duration timeout, String command) {
	}

}
