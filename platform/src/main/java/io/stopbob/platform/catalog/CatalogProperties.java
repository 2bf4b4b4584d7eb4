package io.stopbob.platform.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * @param location the catalog YAML; every service of one installation reads the same file
 */
@ConfigurationProperties("stop.catalog")
public record CatalogProperties(@DefaultValue("file:config/catalog.yml") Resource location) {
}
