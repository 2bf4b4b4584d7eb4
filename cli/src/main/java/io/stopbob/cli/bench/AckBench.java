package io.stopbob.cli.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * server in the same run, so the ratio holds on a noisy machine.
 */
final class AckBench {

	private final String base;

	private final SlackRequestSigner signer;

	private final AtomicLong trigger = new AtomicLong();

	private final String app;

	AckBench(String base, String signingSecret, String app) {
		this.base = base;
		this.app = app;
		this.signer = new SlackRequestSigner(signingSecret);
	}

	void run(Figures figures, int clients, int requests) throws InterruptedException {
		IntFunction<HttpRequest> slashCommand = (i) -> {
			String body = "token=bench&team_id=T0BENCH&channel_id=C0BENCH&user_id=U0BENCH&user_name=bench"
					+ "&command=%2Fstop&text=" + URLEncoder.encode("deploy " + this.app, StandardCharsets.UTF_8)
					+ "&response_url=http%3A%2F%2F127.0.0.1%3A1%2Frespond&trigger_id=bench."
					+ this.trigger.incrementAndGet();
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + "/slack/events"))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body));
			this.signer.headers(body, Instant.now()).forEach(request::header);
			return request.build();
		};
		IntFunction<HttpRequest> bare = (i) -> HttpRequest
			.newBuilder(URI.create(this.base + "/actuator/health/liveness"))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();

		measure("warmup", slashCommand, clients, Math.min(2_000, requests));
		measure("warmup", bare, clients, Math.min(2_000, requests));
		Measured ack = measure("ack", slashCommand, clients, requests);
		Measured baseline = measure("bare_get", bare, clients, requests);
		figures.put("ack_clients", clients);
		for (Measured measured : new Measured[] { ack, baseline }) {
			measured.latencies().record(figures);
			figures.put(measured.latencies().name() + "_requests_per_s", measured.perSecond());
			figures.put(measured.latencies().name() + "_failed", measured.failed());
		}
		figures.put("ack_p99_over_bare_p99", ack.latencies().p99() / baseline.latencies().p99());
		figures.put("ack_target_p99_ms", 50);
		figures.put("ack_target_met", ack.latencies().p99() < 50 && ack.failed() == 0);
	}

	private static Measured measure(String name, IntFunction<HttpRequest> requests, int clients, int total)
			throws InterruptedException {
		long[] latencies = new long[total];
		AtomicInteger next = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		long start = System.nanoTime();
		for (int c = 0; c < clients; c++) {
			pool.execute(() -> {
				// A client (and connection) per simulated Slack worker: one shared
				// client's selector thread would be what is measured, not the service.
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
		return new Measured(Latencies.of(name, latencies), total / seconds, failed.get());
	}

	private record Measured(Latencies latencies, double perSecond, int failed) {
	}

}
