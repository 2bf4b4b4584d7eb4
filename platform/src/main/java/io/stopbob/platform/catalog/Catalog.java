package io.stopbob.platform.catalog;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import io.stopbob.schemas.TargetKey;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;

/**
 * What can be deployed where: one YAML file read by every service (see
 * {@code config/catalog.yml}).
 *
 * @param apps apps by name, as typed in {@code /stop deploy <app>}
 */
public record Catalog(@NotEmpty Map<String, @Valid App> apps) {

	public Optional<App> app(String name) {
		return Optional.ofNullable(this.apps.get(name));
	}

	public Optional<Environment> environment(TargetKey target) {
		return app(target.app()).flatMap((app) -> app.environment(target.environment()));
	}

	public SortedSet<String> appNames() {
		return new TreeSet<>(this.apps.keySet());
	}

}
