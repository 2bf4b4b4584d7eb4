package io.stopbob.ingress.deploy;

import java.time.Clock;

import io.stopbob.ingress.operations.OperationLog;
import io.stopbob.ingress.operations.Recorder;
import io.stopbob.ingress.thread.RecordingWorkspace;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.operations.Operation;
import io.stopbob.ledger.operations.Preference;
import io.stopbob.ledger.rules.TargetRules;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.CatalogLoader;
import io.stopbob.platform.catalog.GroupMembership;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person is told when the log does not answer a request: never "nothing was
 * changed" when it may still start.
 */
class RequestDeployTest {

	private final Catalog catalog = CatalogLoader.load(new ClassPathResource("test-catalog.yml"));

	private final Ledger ledger = new Ledger();

	private final Board board = new Board();

	private final RecordingWorkspace slack = new RecordingWorkspace();

	private final Clock clock = Clock.systemUTC();

	@Test
	void aRequestTheLogDidNotConfirmMayStillStartAndTheThreadSaysSo() {
		RequestDeploy requestDeploy = requestDeploy((requested) -> {
			throw new DeployRequests.Unconfirmed("I could not confirm that " + requested.deployId()
					+ " reached the pipeline (the event log did not answer in time); it may still start."
					+ " `/stop status demo` shows whether it did", null);
		});

		assertThatExceptionOfType(DeployRequests.Unconfirmed.class).isThrownBy(() -> requestDeploy.request(request()))
			.withMessageContaining("it may still start");

		String deployId = this.slack.log.get(0).replace("rewrite ", "").replace(":start", "");
		assertThat(this.slack.text(deployId + ":start")).startsWith(":hourglass: deploying demo `abcdef1` to staging")
			.contains("it may still start")
			.contains("`/stop status demo`")
			.doesNotContain("Nothing was changed");
	}

	@Test
	void aRequestTheLogRefusedForSureChangedNothingAndTheThreadSaysSo() {
		RequestDeploy requestDeploy = requestDeploy((requested) -> {
			throw new IllegalStateException("RecordTooLargeException");
		});

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> requestDeploy.request(request()));

		String deployId = this.slack.log.get(0).replace("rewrite ", "").replace(":start", "");
		assertThat(this.slack.text(deployId + ":start")).startsWith(":x: could not start deploying demo")
			.endsWith("Nothing was changed.");
		assertThat(this.ledger.inFlight(request().target())).as("the target is not held").isEmpty();
	}

	private RequestDeploy requestDeploy(DeployRequests requests) {
		OperationLog log = new OperationLog() {

			@Override
			public void publish(Operation operation) {
			}

			@Override
			public void publish(Preference preference) {
			}

		};
		return new RequestDeploy(
				new RequestPolicy(this.catalog, new TargetRules(this.ledger, this.board, GroupMembership.NONE),
						this.clock),
				this.catalog, this.ledger, this.slack, requests, new Recorder(log, this.board, this.clock, "test"),
				this.clock, "test");
	}

	private static DeployRequest request() {
		return new DeployRequest("demo", "staging", "abcdef1234", new Person("U1", "ann"), null, Kind.DEPLOY, null);
	}

}
