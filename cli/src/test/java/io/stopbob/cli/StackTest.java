package io.stopbob.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

class StackTest {

	@TempDir
	Path root;

	@Test
	void theFirstInstanceKeepsItsNameAndPortAndEachFurtherOneIsTenPortsAbove() {
		assertThat(Stack.SERVICES).extracting((service) -> Stack.instance(service, 1))
			.containsExactly("slack-ingress", "release-tagger", "changelog-poster", "rollout-service");
		assertThat(Stack.SERVICES).extracting((service) -> Stack.localPort(service, 1))
			.containsExactly(8081, 8082, 8083, 8084);
		assertThat(Stack.SERVICES).extracting((service) -> Stack.instance(service, 2))
			.containsExactly("slack-ingress-2", "release-tagger-2", "changelog-poster-2", "rollout-service-2");
		assertThat(Stack.SERVICES).extracting((service) -> Stack.localPort(service, 2))
			.containsExactly(8091, 8092, 8093, 8094);
	}

	@Test
	void everyLocalInstanceHasAPortOfItsOwnClearOfTheBrokers() {
		List<Integer> ports = new ArrayList<>();
		for (String service : Stack.SERVICES) {
			for (int number = 1; number <= Stack.MAX_INSTANCES; number++) {
				ports.add(Stack.localPort(service, number));
			}
		}

		assertThat(ports).doesNotHaveDuplicates().allMatch((port) -> port >= 8081 && port <= 8174);
	}

	@Test
	void aStackRunsOneToTenInstancesOfEachService() {
		assertThat(Stack.checkInstances(1)).isEqualTo(1);
		assertThat(Stack.checkInstances(Stack.MAX_INSTANCES)).isEqualTo(10);
		assertThatIllegalArgumentException().isThrownBy(() -> Stack.checkInstances(0))
			.withMessage("a stack runs 1 to 10 instances of each service, not 0");
		assertThatIllegalArgumentException().isThrownBy(() -> Stack.checkInstances(11));
	}

	@Test
	void psOfTheLocalStackListsTheInstancesAnotherBinStopStartedOnTheirPorts() throws Exception {
		assumeThat(System.getenv("STOP_HOME")).as("the local stack lives in STOP_HOME").isNull();
		Stack stack = Stack.local(this.root);
		Files.createDirectories(stack.home);
		// Pid files of processes that are gone, as a crashed instance leaves them.
		Files.writeString(stack.home.resolve("slack-ingress-2.pid"), "2147483646");
		Files.writeString(stack.home.resolve("rollout-service-3.pid"), "2147483646");
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		stack.ps(new PrintStream(out, true));

		assertThat(stack.instances()).containsExactly("slack-ingress", "slack-ingress-2", "release-tagger",
				"changelog-poster", "rollout-service", "rollout-service-3");
		assertThat(stack.url("rollout-service-3", "/actuator/health"))
			.isEqualTo("http://127.0.0.1:8104/actuator/health");
		assertThat(out.toString().lines()).extracting((line) -> line.split("\\s+")[0])
			.containsExactly("PROCESS", "kafka", "slack-ingress", "slack-ingress-2", "release-tagger",
					"changelog-poster", "rollout-service", "rollout-service-3");
		assertThat(out.toString()).containsPattern("slack-ingress-2 +- +- +DOWN");
	}

}
