package io.stopbob.platform.catalog;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

@AutoConfiguration
@EnableConfigurationProperties(CatalogProperties.class)
public class CatalogAutoConfiguration {

	@Bean
	Catalog catalog(CatalogProperties properties) {
		return CatalogLoader.load(properties.location());
	}

}
