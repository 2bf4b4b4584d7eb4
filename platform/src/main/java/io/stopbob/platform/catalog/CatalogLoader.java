package io.stopbob.platform.catalog;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;

/**
 * Reads the catalog YAML with Boot's binder (relaxed names, durations such as
 * {@code 30m}) and validates the whole tree, so a mistake stops a service at start with
 * the file and the field named, not halfway through someone's deploy.
 */
public final class CatalogLoader {

	private CatalogLoader() {
	}

	public static Catalog load(Resource file) {
		String where = file.getDescription();
		if (!file.exists()) {
			throw new CatalogException(where, List.of("the file does not exist (set stop.catalog.location)"));
		}
		List<PropertySource<?>> sources;
		try {
			sources = new YamlPropertySourceLoader().load("catalog", file);
		}
		catch (IOException | RuntimeException ex) {
			throw new CatalogException(where, List.of("not valid YAML: " + ex.getMessage()));
		}
		Catalog catalog;
		try {
			Map<String, App> apps = new Binder(ConfigurationPropertySources.from(sources))
				.bind("apps", Bindable.mapOf(String.class, App.class))
				.orElse(Map.of());
			catalog = new Catalog(apps);
		}
		catch (BindException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new CatalogException(where,
					List.of(ex.getName() + ": " + rootMessage(cause)
							+ ((ex.getProperty() != null && ex.getProperty().getOrigin() != null)
									? " (" + ex.getProperty().getOrigin() + ")" : "")));
		}
		List<String> problems = validate(catalog);
		if (!problems.isEmpty()) {
			throw new CatalogException(where, problems);
		}
		return catalog;
	}

	private static List<String> validate(Catalog catalog) {
		try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
			Validator validator = factory.getValidator();
			return validator.validate(catalog)
				.stream()
				.map((violation) -> yamlPath(violation) + ": " + violation.getMessage())
				.sorted()
				.collect(Collectors.toList());
		}
	}

	/** {@code apps[demo].environments[prod].tagPrefix} as the YAML reader sees it. */
	private static String yamlPath(ConstraintViolation<Catalog> violation) {
		StringBuilder path = new StringBuilder();
		for (Path.Node node : violation.getPropertyPath()) {
			// A map entry's key sits on the node after the map, before that node's own
			// name.
			if (node.getKey() != null) {
				path.append('.').append(node.getKey());
			}
			if (node.getName() != null && !node.getName().startsWith("<")) {
				path.append(path.isEmpty() ? "" : ".").append(kebab(node.getName().replaceFirst("^is(?=[A-Z])", "")));
			}
		}
		return path.toString();
	}

	private static String kebab(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getMessage();
	}

}
