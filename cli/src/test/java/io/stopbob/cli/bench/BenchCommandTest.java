package io.stopbob.cli.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchCommandTest {

	@TempDir
	Path root;

	@Test
	void thePipelineRunsWithOneInstanceOfEachServiceUnlessGivenAListOfCounts() {
		BenchCommand bench = new BenchCommand(this.root);
		new CommandLine(bench).parseArgs("pipeline");
		assertThat(bench.instances).containsExactly(1);

		new CommandLine(bench).parseArgs("pipeline", "--instances", "1,2");
		assertThat(bench.instances).containsExactly(1, 2);

		assertThatExceptionOfType(CommandLine.ParameterException.class)
			.isThrownBy(() -> new CommandLine(new BenchCommand(this.root)).parseArgs("pipeline", "--instances", "1,0"))
			.withMessageContaining("--instances");
	}

	@Test
	void aCountGivenTwiceIsRefusedBeforeAnythingStarts() {
		BenchCommand bench = new BenchCommand(this.root);
		new CommandLine(bench).parseArgs("pipeline", "--instances", "2,2");

		assertThatIllegalArgumentException().isThrownBy(bench::call).withMessage("--instances names each count once");
		assertThat(this.root.resolve(".stop")).doesNotExist();
	}

	@Test
	void theReportComparesEachInstanceCountWithTheBareHopsOfTheSameRun() {
		Map<String, String> figures = new LinkedHashMap<>();
		figures.put("machine_cores", "2");
		figures.put("bare_hops_ended_per_s", "400.00");
		figures.put("bare_hops_p50_ms", "10.00");
		figures.put("bare_hops_p99_ms", "50.00");
		figures.put("pipeline_instances", "1,2");
		figures.put("pipeline_ended_per_s", "20.00");
		figures.put("pipeline_p50_ms", "60.00");
		figures.put("pipeline_p99_ms", "100.00");
		figures.put("pipeline_p99_over_bare_hops_p99", "2.00");
		figures.put("pipeline_x2_ended_per_s", "30.00");
		figures.put("pipeline_x2_p50_ms", "40.00");
		figures.put("pipeline_x2_p99_ms", "75.00");
		figures.put("pipeline_x2_p99_over_bare_hops_p99", "1.50");

		assertThat(Report.instancesTable(figures).lines()).containsExactly(
				"| instances of each service | deploys/s | p50 ms | p99 ms | p99 / bare hops p99 | cores |",
				"|---|---|---|---|---|---|", "| four bare Kafka hops | 400.00 | 10.00 | 50.00 | baseline | 2 |",
				"| 1 | 20.00 | 60.00 | 100.00 | 2.00 | 2 |", "| 2 | 30.00 | 40.00 | 75.00 | 1.50 | 2 |");
		assertThat(Report.instancesTable(Map.of("replay_events", "1000"))).isEmpty();
	}

}
