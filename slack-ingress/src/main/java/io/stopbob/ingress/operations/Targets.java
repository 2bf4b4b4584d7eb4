package io.stopbob.ingress.operations;

import io.stopbob.ledger.Target;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Environment;
import io.stopbob.slack.SlackText;

/** Turns the words a person typed into a target of the catalog, or says what is wrong. */
public final class Targets {

	private Targets() {
	}

	public static App app(Catalog catalog, String name) {
		return catalog.app(name.toLowerCase())
			.orElseThrow(() -> new Refusal("I don't know the app `" + SlackText.escape(name) + "`. Known apps: "
					+ String.join(", ", catalog.appNames())));
	}

	/**
	 * The named environment; without a name, production if the app has one, else its only
	 * environment.
	 */
	public static Found find(Catalog catalog, String appName, String environmentName) {
		App app = app(catalog, appName);
		String name = (environmentName != null) ? environmentName.toLowerCase()
				: app.environment("production").isPresent() ? "production"
						: (app.environments().size() == 1) ? app.environmentNames().first() : null;
		if (name == null) {
			throw new Refusal("Which environment of " + appName.toLowerCase() + "? One of: "
					+ String.join(", ", app.environmentNames()));
		}
		Environment environment = app.environment(name)
			.orElseThrow(() -> new Refusal(appName.toLowerCase() + " has no environment `" + SlackText.escape(name)
					+ "`. Choose one of: " + String.join(", ", app.environmentNames())));
		return new Found(new Target(appName.toLowerCase(), name), app, environment);
	}

	/** A target with its app and environment from the catalog. */
	public record Found(Target target, App app, Environment environment) {
	}

}
