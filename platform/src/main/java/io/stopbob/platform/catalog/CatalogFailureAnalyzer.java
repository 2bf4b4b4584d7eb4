package io.stopbob.platform.catalog;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad catalog into Boot's start-up report instead of a stack trace. */
class CatalogFailureAnalyzer extends AbstractFailureAnalyzer<CatalogException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, CatalogException cause) {
		return new FailureAnalysis(cause.getMessage(), "Fix the fields named above in " + cause.file()
				+ " (the example is config/catalog.yml), " + "or point stop.catalog.location at the right file.",
				cause);
	}

}
