package io.stopbob.ledger;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.stopbob.testkit.ArchitectureRules;

@AnalyzeClasses(packages = "io.stopbob.ledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule domainStaysFreeOfInfrastructure = ArchitectureRules.domainStaysFreeOfInfrastructure();

}
