package io.stopbob.platform.catalog;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

/**
 * One deployable app.
 *
 * @param repository {@code owner/name} on the git host; for the local adapter, a path on
 * disk
 * @param deployChannel Slack channel where deploys start their thread
 * @param changelogChannel Slack channel for the release notes
 * @param environments environments by name
 */
public record App(@NotBlank String repository, @NotBlank String deployChannel, @NotBlank String changelogChannel,
		@NotEmpty Map<String, @Valid Environment> environments) {

	public Optional<Environment> environment(String name) {
		return Optional.ofNullable(this.environments.get(name));
	}

	public SortedSet<String> environmentNames() {
		return new TreeSet<>(this.environments.keySet());
	}

}
