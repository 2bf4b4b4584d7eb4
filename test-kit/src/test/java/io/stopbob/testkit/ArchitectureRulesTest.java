package io.stopbob.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ArchitectureRulesTest {

	@Test
	void aDomainClassThatTouchesKafkaBreaksTheRule() {
		JavaClasses classes = new ClassFileImporter().importPackages("io.stopbob.testkit.fixture");

		EvaluationResult result = ArchitectureRules.domainStaysFreeOfInfrastructure().evaluate(classes);

		assertThat(result.hasViolation()).isTrue();
		assertThat(result.getFailureReport().getDetails()).hasSize(2)
			.allSatisfy((detail) -> assertThat(detail).contains("LeakyUseCase").doesNotContain("ProperListener"));
	}

	@Test
	void adaptersMayTouchKafkaButARuleThatChecksNothingFailsInsteadOfPassing() {
		JavaClasses adaptersOnly = new ClassFileImporter().importPackages("io.stopbob.testkit.fixture.messaging");

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> ArchitectureRules.domainStaysFreeOfInfrastructure().evaluate(adaptersOnly))
			.withMessageContaining("failed to check any classes");
	}

}
