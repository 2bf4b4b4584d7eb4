package io.stopbob.ingress.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import io.stopbob.slack.SlackRequestSigner;

/**
 * How fast slack-ingress acknowledges signed {@code /stop deploy <app>} commands (Slack
 * allows 3 s; the target is p99 under 50 ms), beside a bare actuator GET on the same
 * server in the same run, so the ratio holds on a noisy machine. Run against a started
 * service:
 *
 * <pre>
 * bin/stop up
 * ./mvnw -q -pl slack-ingress test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.stopbob.ingress.bench.AckBenchmark [-Dexec.args="http://127.0.0.1:8081 50 20000"]
 * </pre>
 *
 * Prints {@code name=value} lines. Bounded: a fixed number of requests to loopback only.
 */
public final class AckBenchmark {

	private AckBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String base = (args.length > 0) ? args[0] : "http://127.0.0.1:8081";
		int clients = (args.length > 1) ? Integer.parseInt(args[1]) : 50;
		int requests = (args.length > 2) ? Integer.parseInt(args[2]) : 20_000;
		String secret = System.getenv().getOrDefault("SLACK_SIGNING_SECRET", "local-signing-secret");
		if (!URI.create(base).getHost().matches("127\\.0\\.0\\.1|localhost")) {
			throw new IllegalArgumentException("benchmarks target loopback only, not " + base);
		}
		SlackRequestSigner signer = new SlackRequestSigner(secret);
		AtomicLong trigger = new AtomicLong();

		IntFunction<HttpRequest> slashCommand = (i) -> {
			String body = "token=bench&team_id=T0BENCH&channel_id=C0BENCH&user_id=U0BENCH&user_name=bench"
					+ "&command=%2Fstop&text=" + URLEncoder.encode("deploy demo", StandardCharsets.UTF_8)
					+ "&response_url=http%3A%2F%2F127.0.0.1%3A1%2Frespond&trigger_id=bench."
					+ trigger.incrementAndGet();
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/slack/events"))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body));
			signer.headers(body, Instant.now()).forEach(request::header);
			return request.build();
		};
		IntFunction<HttpRequest> bare = (i) -> HttpRequest.newBuilder(URI.create(base + "/actuator/health/liveness"))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();

		run("warmup", slashCommand, clients, Math.min(2_000, requests), false);
		run("warmup_bare", bare, clients, Math.min(2_000, requests), false);
		Result ack = run("ack", slashCommand, clients, requests, true);
		Result baseline = run("bare_get", bare, clients, requests, true);
		System.out.printf("ack_p99_over_bare_p99=%.2f%n", ack.p99Millis() / baseline.p99Millis());
		System.out.printf("target_p99_ms=50 met=%s%n", ack.p99Millis() < 50);
	}

	private static Result run(String name, IntFunction<HttpRequest> requests, int clients, int total, boolean print)
			throws InterruptedException {
		long[] latencies = new long[total];
		AtomicInteger next = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		long start = System.nanoTime();
		for (int c = 0; c < clients; c++) {
			pool.execute(() -> {
				// One client (and connection) per simulated Slack worker: a shared
				// client's single
				// selector thread would be the bottleneck measured, not the service.
				HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
				for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
					HttpRequest request = requests.apply(i);
					long sent = System.nanoTime();
					try {
						HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
						if (response.statusCode() != 200) {
							failed.incrementAndGet();
						}
					}
					catch (Exception ex) {
						failed.incrementAndGet();
					}
					latencies[i] = System.nanoTime() - sent;
				}
			});
		}
		pool.shutdown();
		if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
			pool.shutdownNow();
			throw new IllegalStateException(name + " did not finish in 10 minutes");
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Arrays.sort(latencies);
		Result result = new Result(millis(latencies, 0.50), millis(latencies, 0.99), latencies[total - 1] / 1e6,
				total / seconds, failed.get());
		if (print) {
			System.out.printf(
					"%s_requests=%d%n%s_clients=%d%n%s_p50_ms=%.2f%n%s_p99_ms=%.2f%n%s_max_ms=%.2f%n"
							+ "%s_requests_per_s=%.0f%n%s_failed=%d%n",
					name, total, name, clients, name, result.p50Millis(), name, result.p99Millis(), name,
					result.maxMillis(), name, result.perSecond(), name, result.failed());
		}
		return result;
	}

	private static double millis(long[] sorted, double quantile) {
		return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
	}

	private record Result(double p50Millis, double p99Millis, double maxMillis, double perSecond, int failed) {
	}

}
