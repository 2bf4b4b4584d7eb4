package io.stopbob.cli.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.stopbob.cli.Stack;

/**
 * Each service's resident memory ({@code /proc}) and heap in use (its
 * {@code /actuator/prometheus}), sampled once a second, and its full collections (its GC
 * log). Cheap to take: no extra JVM is started per sample.
 */
final class Footprint implements AutoCloseable {

	private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)$",
			Pattern.MULTILINE);

	private final Stack stack;

	private final Map<String, long[]> peaks = new LinkedHashMap<>();

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

	Footprint(Stack stack) {
		this.stack = stack;
		Stack.SERVICES.forEach((service) -> this.peaks.put(service, new long[2]));
	}

	/** One sample of each service now, as {@code footprint_<service>_idle_*}. */
	void idle(Figures figures) {
		for (String service : Stack.SERVICES) {
			long[] sample = sample(service);
			figures.put("footprint_" + service + "_idle_rss_mb", sample[0]);
			figures.put("footprint_" + service + "_idle_heap_mb", sample[1]);
		}
	}

	void start() {
		this.sampler.scheduleAtFixedRate(() -> Stack.SERVICES.forEach((service) -> {
			long[] sample = sample(service);
			long[] peak = this.peaks.get(service);
			synchronized (peak) {
				peak[0] = Math.max(peak[0], sample[0]);
				peak[1] = Math.max(peak[1], sample[1]);
			}
		}), 0, 1, TimeUnit.SECONDS);
	}

	/** Peaks since {@link #start}, and full collections since each service started. */
	void busy(Figures figures) throws IOException {
		boolean met = true;
		for (String service : Stack.SERVICES) {
			long[] peak = this.peaks.get(service);
			long fullGcs = fullGcs(this.stack, service);
			synchronized (peak) {
				figures.put("footprint_" + service + "_busy_peak_rss_mb", peak[0]);
				figures.put("footprint_" + service + "_busy_peak_heap_mb", peak[1]);
				met &= peak[1] <= 256 && fullGcs == 0;
			}
			figures.put("footprint_" + service + "_full_gcs", fullGcs);
		}
		figures.put("footprint_target_heap_mb", 256);
		figures.put("footprint_target_met", met);
	}

	/** RSS and heap in use, in MB. */
	private long[] sample(String service) {
		return new long[] { this.stack.process(service).map(Stack::rssMb).orElse(-1L), heapMb(this.stack, service) };
	}

	/**
	 * The service's heap in use, in MB, as its metrics say; -1 when it does not answer.
	 */
	static long heapMb(Stack stack, String service) {
		try {
			String metrics = Stack.HTTP
				.send(HttpRequest.newBuilder(URI.create(stack.url(service, "/actuator/prometheus")))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
			double bytes = 0;
			Matcher used = HEAP.matcher(metrics);
			while (used.find()) {
				bytes += Double.parseDouble(used.group(1));
			}
			return Math.round(bytes / (1024 * 1024));
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/** Full collections the service's GC log records so far. */
	static long fullGcs(Stack stack, String service) throws IOException {
		return Files.readAllLines(stack.gcLog(service)).stream().filter((line) -> line.contains("Pause Full")).count();
	}

	@Override
	public void close() {
		this.sampler.shutdownNow();
	}

}
