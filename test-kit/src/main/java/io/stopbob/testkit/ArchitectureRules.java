package io.stopbob.testkit;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The shape every service keeps: use cases and their domain know nothing of Kafka, Avro
 * or the outside systems' SDKs; only adapter packages do. A package is domain unless it
 * is named as an adapter, so a new feature package is held to the rule from its first
 * class.
 */
public final class ArchitectureRules {

	/**
	 * Packages where adapters live: listeners, publishers, configuration and outside
	 * systems.
	 */
	public static final String[] ADAPTER_PACKAGES = { "..messaging..", "..config..", "..web..", "..local..",
			"..slack..", "..github..", "..codedeploy..", "..kubernetes.." };

	/** What the domain must not touch. */
	public static final String[] INFRASTRUCTURE = { "org.apache.avro..", "org.apache.kafka..",
			"org.springframework.kafka..", "io.stopbob.events..", "io.stopbob.schemas..", "com.slack.api..",
			"org.kohsuke.github..", "software.amazon.awssdk..", "io.fabric8.." };

	private ArchitectureRules() {
	}

	public static ArchRule domainStaysFreeOfInfrastructure() {
		return noClasses().that()
			.resideOutsideOfPackages(ADAPTER_PACKAGES)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(INFRASTRUCTURE)
			.because("use cases talk to the outside only through ports (see shared/STYLE.md)");
	}

}
