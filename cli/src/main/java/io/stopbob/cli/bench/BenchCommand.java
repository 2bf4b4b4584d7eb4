package io.stopbob.cli.bench;

import io.stopbob.cli.Kafka;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.stopbob.cli.Stack;
import io.stopbob.cli.StopCli;
import io.stopbob.cli.stubs.OutsideStubs;
import io.stopbob.ledger.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/stop bench <name>}: a scratch stack of its own (free loopback ports, its own
 * folder under {@code .stop/bench/}), the benchmark, its figures as {@code name=value}
 * lines with the baseline measured in the same run, and {@code docs/benchmarks.md}
 * rewritten from every benchmark's latest figures. Bounded: every phase has a deadline,
 * and the stack is stopped at the end.
 */
@Command(name = "bench",
		description = "Measure: ack | pipeline | replay | footprint | history | all. Prints name=value lines "
				+ "and rewrites docs/benchmarks.md.")
public final class BenchCommand implements Callable<Integer> {

	/** Deploys of one target, one at a time, for the unloaded figures. */
	private static final int SERIAL = 20;

	private static final Set<String> NAMES = Set.of("ack", "pipeline", "replay", "footprint", "history", "all");

	@Parameters(index = "0", description = "ack | pipeline | replay | footprint | history | all (all but history)")
	String name;

	@Option(names = "--requests", defaultValue = "20000", description = "ack: signed slash commands (${DEFAULT-VALUE})")
	int requests;

	@Option(names = "--clients", defaultValue = "50", description = "ack: concurrent clients (${DEFAULT-VALUE})")
	int clients;

	@Option(names = "--deploys", defaultValue = "2000",
			description = "pipeline: deploys in all (${DEFAULT-VALUE}); history: deploys on the log, five events each")
	int deploys;

	@Option(names = "--targets", defaultValue = "200", description = "pipeline: targets (${DEFAULT-VALUE})")
	int targets;

	@Option(names = "--events", defaultValue = "1000000", description = "replay: events (${DEFAULT-VALUE})")
	int events;

	@Option(names = "--instances", split = ",", defaultValue = "1", converter = StopCli.InstanceCount.class,
			paramLabel = "<count>",
			description = "pipeline: instances of each service, a list (1,2) measured in turn beside one bare-hops"
					+ " baseline (${DEFAULT-VALUE})")
	List<Integer> instances;

	private final Path root;

	public BenchCommand(Path root) {
		this.root = root;
	}

	@Override
	public Integer call() throws Exception {
		if (!NAMES.contains(this.name)) {
			throw new IllegalArgumentException("no benchmark " + this.name + "; choose one of " + NAMES);
		}
		if (this.deploys % this.targets != 0) {
			throw new IllegalArgumentException("--deploys must be a multiple of --targets");
		}
		if (new HashSet<>(this.instances).size() != this.instances.size()) {
			// A count's runs are named by it, and so are their deploys.
			throw new IllegalArgumentException("--instances names each count once");
		}
		Path bench = this.root.resolve(".stop/bench");
		Path home = Files.createTempDirectory(Files.createDirectories(bench), this.name + "-");
		Stack stack = Stack.scratch(this.root, home);
		Figures figures = new Figures(this.name, System.out);
		machine(figures);
		try (PrintStream log = new PrintStream(new FileOutputStream(home.resolve("stack.log").toFile()), true,
				StandardCharsets.UTF_8)) {
			System.out.println("# stack and service logs: " + home);
			stack.broker(log, "start");
			try {
				Kafka kafka = new Kafka(stack.bootstrapServers());
				if (is("replay")) {
					new ReplayBench(kafka).run(figures, this.events, this.targets);
				}
				if (this.name.equals("history")) {
					new HistoryBench(stack, kafka, log).run(figures, this.deploys, PipelineBench.targets(this.targets),
							home);
				}
				if (is("ack") || is("pipeline") || is("footprint")) {
					withServices(stack, kafka, figures, log, home);
				}
			}
			finally {
				stack.down(log);
			}
		}
		figures.save(bench.resolve("results"));
		Path report = new Report(bench.resolve("results")).write(this.root.resolve("docs"));
		System.out.println("# written: " + report);
		return 0;
	}

	private void withServices(Stack stack, Kafka kafka, Figures figures, PrintStream log, Path home) throws Exception {
		List<Target> all = PipelineBench.targets(this.targets);
		Path catalog = home.resolve("catalog.yml");
		Files.writeString(catalog, PipelineBench.catalog(all));
		try (OutsideStubs outside = OutsideStubs.unjournaled()) {
			List<String> args = new ArrayList<>(outside.serviceArgs());
			args.addAll(List.of("--stop.tagger.ci.poll-interval=50ms", "--stop.rollout.poll-interval=50ms"));
			stack.with(catalog, args, OutsideStubs.serviceEnv());
			stack.scale(this.instances.get(0), log);
			try (Footprint footprint = new Footprint(stack)) {
				footprint.idle(figures);
				if (is("ack")) {
					new AckBench(stack.url("slack-ingress", ""), OutsideStubs.serviceEnv().get("SLACK_SIGNING_SECRET"),
							all.get(0).app())
						.run(figures, this.clients, this.requests);
				}
				if (is("pipeline") || is("footprint")) {
					pipeline(stack, new PipelineBench(kafka), all, figures, footprint, log);
				}
			}
		}
	}

	/**
	 * The bare hops once, then the pipeline at each instance count in turn, each beside
	 * that one baseline: on one broker, so the counts differ only in the services.
	 */
	private void pipeline(Stack stack, PipelineBench pipeline, List<Target> all, Figures figures, Footprint footprint,
			PrintStream log) throws Exception {
		int perTarget = this.deploys / this.targets;
		List<PacedDriver.Result> bareRuns = pipeline.bareHops(all, perTarget, SERIAL);
		bareRuns.forEach((run) -> run.record(figures));
		figures.put("pipeline_instances",
				this.instances.stream().map(String::valueOf).collect(Collectors.joining(",")));
		boolean met = true;
		// Peaks of each service's first instance, over every count's runs.
		footprint.start();
		for (int count : this.instances) {
			stack.scale(count, log);
			// One deploy per target first: JIT, connection pools and consumer
			// assignment (after the scaling's rebalance) warm, as in a service that has
			// been up a while.
			pipeline.pipeline(PipelineBench.run("warmup", count), all, 1);
			PacedDriver.Result measured = pipeline.pipeline(PipelineBench.run("pipeline", count), all, perTarget);
			measured.record(figures);
			// The same, unloaded: what one deploy costs without 199 others queued
			// beside it.
			PacedDriver.Result serial = pipeline.pipeline(PipelineBench.run("pipeline_serial", count),
					all.subList(0, 1), SERIAL);
			serial.record(figures);
			figures.put(PipelineBench.run("pipeline_serial", count) + "_p99_over_bare_hops_serial_p99",
					serial.latencies().p99() / bareRuns.get(1).latencies().p99());
			double ratio = measured.latencies().p99() / bareRuns.get(0).latencies().p99();
			figures.put(PipelineBench.run("pipeline", count) + "_p99_over_bare_hops_p99", ratio);
			met &= ratio <= 3.0 && measured.lost() == 0 && measured.duplicated() == 0;
		}
		footprint.busy(figures);
		figures.put("pipeline_target_ratio", 3.0);
		figures.put("pipeline_target_met", met);
		Report.instancesTable(figures.values()).lines().map("# "::concat).forEach(System.out::println);
	}

	private boolean is(String bench) {
		return this.name.equals(bench) || this.name.equals("all")
				|| (bench.equals("pipeline") && this.name.equals("footprint"));
	}

	private static void machine(Figures figures) throws Exception {
		figures.put("machine_cores", Runtime.getRuntime().availableProcessors());
		long kb = Files.readAllLines(Path.of("/proc/meminfo"))
			.stream()
			.filter((line) -> line.startsWith("MemTotal:"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("\\D", "")))
			.findFirst()
			.orElse(0);
		figures.put("machine_memory_gb", Math.round(kb / 1024.0 / 1024.0));
		figures.put("machine_java", System.getProperty("java.version"));
		figures.put("machine_load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		figures.put("date",
				ZonedDateTime.now(ZoneOffset.UTC)
					.truncatedTo(ChronoUnit.SECONDS)
					.format(DateTimeFormatter.ISO_INSTANT));
	}

}
