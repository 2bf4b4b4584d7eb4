package io.stopbob.platform.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.stopbob.schemas.TargetKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CatalogLoaderTest {

	private static final String VALID = """
			apps:
			  demo:
			    repository: stop-bob/demo
			    deploy-channel: "#deploys"
			    changelog-channel: "#changelog"
			    environments:
			      production:
			        tag-prefix: production-
			        deployers: { users: [U1], groups: [S1] }
			        ci: { required-checks: [build], timeout: 45m }
			        rollout:
			          backend: codedeploy
			          codedeploy: { application: demo, deployment-group: prod }
			""";

	@TempDir
	Path dir;

	@Test
	void theExampleCatalogThatShipsWithTheRepositoryIsValid() {
		Catalog catalog = CatalogLoader.load(new FileSystemResource("../config/catalog.yml"));

		assertThat(catalog.appNames()).contains("demo");
		assertThat(catalog.app("demo").orElseThrow().environmentNames()).containsExactly("production", "staging");
		assertThat(catalog.environment(new TargetKey("demo", "staging")).orElseThrow().rollout().backend())
			.isEqualTo(Rollout.Backend.LOCAL);
	}

	@Test
	void aValidCatalogIsBoundWithItsDefaults() throws IOException {
		Catalog catalog = load(VALID);

		Environment production = catalog.environment(new TargetKey("demo", "production")).orElseThrow();
		assertThat(production.tagPrefix()).isEqualTo("production-");
		assertThat(production.ci().timeout()).isEqualTo(Duration.ofMinutes(45));
		assertThat(production.rollout().codedeploy().deploymentConfig()).isEqualTo("CodeDeployDefault.HalfAtATime");
		assertThat(production.rollout().local().instances()).isEqualTo(4);
		assertThat(production.deployers().allows("U1", Set.of())).isTrue();
		assertThat(production.deployers().allows("U2", Set.of("S1"))).isTrue();
		assertThat(production.deployers().allows("U2", Set.of("S2"))).isFalse();
		assertThat(catalog.environment(new TargetKey("demo", "staging"))).isEmpty();
	}

	@Test
	void aMissingFieldIsReportedWithItsPathAndTheFile() throws IOException {
		assertThatExceptionOfType(CatalogException.class)
			.isThrownBy(() -> load(VALID.replace("        tag-prefix: production-\n", "")))
			.withMessageContaining(this.dir.resolve("catalog.yml").toString())
			.withMessageContaining("apps.demo.environments.production.tag-prefix: must not be null");
	}

	@Test
	void everyMissingFieldOfAnAppIsReported() throws IOException {
		assertThatExceptionOfType(CatalogException.class)
			.isThrownBy(() -> load("apps:\n  demo:\n    repository: stop-bob/demo\n"))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"apps.demo.changelog-channel: must not be blank", "apps.demo.deploy-channel: must not be blank",
					"apps.demo.environments: must not be empty"));
	}

	@Test
	void aMalformedValueIsReportedWithItsPathAndTheFile() throws IOException {
		assertThatExceptionOfType(CatalogException.class).isThrownBy(() -> load(VALID.replace("45m", "soon")))
			.withMessageContaining("catalog.yml")
			.withMessageContaining("apps.demo.environments.production.ci.timeout")
			.withMessageContaining("soon");
	}

	@Test
	void aCodeDeployTargetWithoutItsDeploymentGroupIsRefused() throws IOException {
		assertThatExceptionOfType(CatalogException.class)
			.isThrownBy(() -> load(VALID.replace(", deployment-group: prod", "")))
			.withMessageContaining(
					"apps.demo.environments.production.rollout.codedeploy-complete: backend codedeploy needs codedeploy.application and codedeploy.deployment-group");
	}

	@Test
	void aKubernetesTargetIsBoundHalfAtATimeAndRefusedWithoutAnImageTemplate() throws IOException {
		String kubernetes = VALID.replace("backend: codedeploy", "backend: kubernetes")
			.replace("codedeploy: { application: demo, deployment-group: prod }",
					"kubernetes: { namespace: shop, deployments: [demo-web], container: web, image: \"r/demo:{sha}\" }");
		Rollout.Kubernetes bound = load(kubernetes).app("demo")
			.orElseThrow()
			.environment("production")
			.orElseThrow()
			.rollout()
			.kubernetes();
		assertThat(bound.maxUnavailable()).isEqualTo("50%");
		assertThat(bound.image("0123abc", "production-1")).isEqualTo("r/demo:0123abc");

		assertThatExceptionOfType(CatalogException.class)
			.isThrownBy(() -> load(kubernetes.replace("r/demo:{sha}", "r/demo:latest")))
			.withMessageContaining("rollout.kubernetes-complete: backend kubernetes needs");
	}

	@Test
	void aCatalogWithoutAppsIsRefused() throws IOException {
		assertThatExceptionOfType(CatalogException.class).isThrownBy(() -> load("# nothing here\n"))
			.withMessageContaining("apps: must not be empty");
	}

	@Test
	void aMissingFileIsReportedWithWhereItWasLookedFor() {
		assertThatExceptionOfType(CatalogException.class)
			.isThrownBy(() -> CatalogLoader.load(new FileSystemResource(this.dir.resolve("nope.yml"))))
			.withMessageContaining("nope.yml")
			.withMessageContaining("does not exist");
	}

	private Catalog load(String yaml) throws IOException {
		Path file = this.dir.resolve("catalog.yml");
		Files.writeString(file, yaml);
		return CatalogLoader.load(new FileSystemResource(file));
	}

}
