package io.stopbob.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * {@code docs/benchmarks.md} and its latency plot, from the latest figures of each
 * benchmark: what was measured, on what machine and when, beside its baseline and target.
 */
final class Report {

	private static final List<String> BENCHES = List.of("ack", "pipeline", "replay", "footprint", "history", "all");

	private static final String[][] PATHS = { { "ack", "slash command ack" }, { "bare_get", "bare GET, same server" },
			{ "pipeline", "pipeline, 200 targets at once" }, { "bare_hops", "four bare Kafka hops, same load" },
			{ "pipeline_serial", "pipeline, one deploy at a time" },
			{ "bare_hops_serial", "bare hops, one at a time" } };

	private final Path results;

	Report(Path results) {
		this.results = results;
	}

	Path write(Path docs) throws IOException {
		Map<String, Map<String, String>> runs = new LinkedHashMap<>();
		for (String bench : BENCHES) {
			Path file = this.results.resolve(bench + ".properties");
			if (Files.exists(file)) {
				runs.put(bench, Figures.load(file));
			}
		}
		Files.createDirectories(docs);
		Map<String, Map<String, String>> latest = latestPerFigure(runs);
		plot(latest, docs.resolve("benchmarks-latency.png"));
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append(
				"Written by `bin/stop bench <name>` (ack, pipeline, replay, footprint, history, all) from each benchmark's "
						+ "latest run; every figure sits beside a baseline measured in the same run, so the ratios hold on a "
						+ "noisy machine (`bin/stop bench pipeline --instances 1,2` measures each instance count of the "
						+ "services beside one bare-hops baseline). Re-run to refresh.\n\n");
		md.append("![latency percentiles](benchmarks-latency.png)\n\n");
		for (Map.Entry<String, Map<String, String>> run : runs.entrySet()) {
			Map<String, String> figures = run.getValue();
			md.append("## `bin/stop bench ").append(run.getKey()).append("`\n\n");
			md.append("Run ")
				.append(figures.getOrDefault("date", "?"))
				.append(" on ")
				.append(figures.getOrDefault("machine_cores", "?"))
				.append(" cores, ")
				.append(figures.getOrDefault("machine_memory_gb", "?"))
				.append(" GB, Java ")
				.append(figures.getOrDefault("machine_java", "?"))
				.append(", load average ")
				.append(figures.getOrDefault("machine_load_average", "?"))
				.append(" at the start.\n\n");
			String instances = instancesTable(figures);
			if (!instances.isEmpty()) {
				md.append(instances).append('\n');
			}
			md.append("| figure | value |\n|---|---|\n");
			figures.forEach((name, value) -> {
				if (!name.startsWith("machine_") && !name.equals("date")) {
					md.append("| `").append(name).append("` | ").append(value).append(" |\n");
				}
			});
			md.append('\n');
		}
		Path file = docs.resolve("benchmarks.md");
		Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
		return file;
	}

	/**
	 * The pipeline at each instance count beside the bare hops of the same run, as a
	 * markdown table; empty for a run without the pipeline.
	 */
	static String instancesTable(Map<String, String> figures) {
		if (!figures.containsKey("pipeline_instances")) {
			return "";
		}
		String cores = figures.getOrDefault("machine_cores", "?");
		StringBuilder table = new StringBuilder(
				"| instances of each service | deploys/s | p50 ms | p99 ms | p99 / bare hops p99 | cores |\n");
		table.append("|---|---|---|---|---|---|\n");
		instancesRow(table, "four bare Kafka hops", figures, "bare_hops", "baseline", cores);
		for (String count : figures.get("pipeline_instances").split(",")) {
			String run = PipelineBench.run("pipeline", Integer.parseInt(count));
			instancesRow(table, count, figures, run, figures.getOrDefault(run + "_p99_over_bare_hops_p99", "?"), cores);
		}
		return table.toString();
	}

	private static void instancesRow(StringBuilder table, String label, Map<String, String> figures, String run,
			String ratio, String cores) {
		table.append("| ")
			.append(String.join(" | ", label, figures.getOrDefault(run + "_ended_per_s", "?"),
					figures.getOrDefault(run + "_p50_ms", "?"), figures.getOrDefault(run + "_p99_ms", "?"), ratio,
					cores))
			.append(" |\n");
	}

	/** For each measured path, the figures of the newest run that measured it. */
	private static Map<String, Map<String, String>> latestPerFigure(Map<String, Map<String, String>> runs) {
		Map<String, Map<String, String>> latest = new LinkedHashMap<>();
		for (String[] path : PATHS) {
			runs.values()
				.stream()
				.filter((figures) -> figures.containsKey(path[0] + "_p50_ms"))
				.max((a, b) -> a.getOrDefault("date", "").compareTo(b.getOrDefault("date", "")))
				.ifPresent((figures) -> latest.put(path[0], figures));
		}
		return latest;
	}

	/** Grouped bars of p50 ... max for each path, on a log scale in milliseconds. */
	private static void plot(Map<String, Map<String, String>> latest, Path png) throws IOException {
		List<String> labels = new ArrayList<>(Latencies.PERCENTILES.keySet());
		int width = 1200;
		int height = 480;
		int left = 80;
		int bottom = height - 70;
		int top = 50;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		g.setColor(Color.DARK_GRAY);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
		g.drawString("Latency percentiles (ms, log scale), each beside its same-run baseline", left, 28);
		double minLog = -1;
		double maxLog = 5;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		g.setStroke(new BasicStroke(1));
		for (int decade = (int) minLog; decade <= maxLog; decade++) {
			int y = (int) (bottom - (decade - minLog) / (maxLog - minLog) * (bottom - top));
			g.setColor(new Color(225, 225, 225));
			g.drawLine(left, y, width - 20, y);
			g.setColor(Color.DARK_GRAY);
			g.drawString(String.valueOf(Math.pow(10, decade)).replaceAll("\\.0$", ""), 10, y + 4);
		}
		Color[] colors = { new Color(31, 119, 180), new Color(174, 199, 232), new Color(214, 39, 40),
				new Color(255, 152, 150), new Color(44, 160, 44), new Color(152, 223, 138) };
		int groupWidth = (width - left - 40) / labels.size();
		int barWidth = (groupWidth - 20) / PATHS.length;
		for (int l = 0; l < labels.size(); l++) {
			int groupX = left + 10 + l * groupWidth;
			g.setColor(Color.DARK_GRAY);
			g.drawString(labels.get(l), groupX + groupWidth / 2 - 20, bottom + 18);
			for (int p = 0; p < PATHS.length; p++) {
				Map<String, String> figures = latest.get(PATHS[p][0]);
				String value = (figures != null) ? figures.get(PATHS[p][0] + "_" + labels.get(l) + "_ms") : null;
				if (value == null) {
					continue;
				}
				double millis = Math.max(Double.parseDouble(value), 0.1);
				int barTop = (int) (bottom - (Math.log10(millis) - minLog) / (maxLog - minLog) * (bottom - top));
				g.setColor(colors[p]);
				g.fillRect(groupX + p * barWidth, barTop, barWidth - 2, bottom - barTop);
			}
		}
		int legendX = left;
		for (int p = 0; p < PATHS.length; p++) {
			g.setColor(colors[p]);
			g.fillRect(legendX, height - 30, 14, 14);
			g.setColor(Color.DARK_GRAY);
			g.drawString(PATHS[p][1], legendX + 20, height - 19);
			legendX += 185;
		}
		g.dispose();
		ImageIO.write(image, "png", png.toFile());
	}

}
