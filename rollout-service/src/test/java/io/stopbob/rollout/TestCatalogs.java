package io.stopbob.rollout;

import java.nio.charset.StandardCharsets;

import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.CatalogLoader;

import org.springframework.core.io.ByteArrayResource;

/** A catalog from YAML written in the test. */
public final class TestCatalogs {

	private TestCatalogs() {
	}

	public static Catalog of(String yaml) {
		return CatalogLoader.load(new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)) {
			@Override
			public String getDescription() {
				return "test catalog";
			}
		});
	}

}
