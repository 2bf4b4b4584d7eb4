package io.stopbob.cli.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latencies of one measured path, sorted once, read as percentiles in milliseconds. */
record Latencies(String name, long[] sortedNanos) {

	static final Map<String, Double> PERCENTILES = percentiles();

	static Latencies of(String name, long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return new Latencies(name, sorted);
	}

	double millis(double quantile) {
		if (this.sortedNanos.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(this.sortedNanos.length - 1,
				Math.max(0, Math.ceil(quantile * this.sortedNanos.length) - 1));
		return this.sortedNanos[index] / 1e6;
	}

	double p50() {
		return millis(0.50);
	}

	double p99() {
		return millis(0.99);
	}

	/** Prints {@code <name>_count}, {@code _p50_ms} ... {@code _max_ms}. */
	void record(Figures figures) {
		figures.put(this.name + "_count", this.sortedNanos.length);
		PERCENTILES.forEach((label, quantile) -> figures.put(this.name + "_" + label + "_ms", millis(quantile)));
	}

	private static Map<String, Double> percentiles() {
		Map<String, Double> percentiles = new LinkedHashMap<>();
		percentiles.put("p50", 0.50);
		percentiles.put("p90", 0.90);
		percentiles.put("p99", 0.99);
		percentiles.put("p999", 0.999);
		percentiles.put("max", 1.0);
		return percentiles;
	}

}
