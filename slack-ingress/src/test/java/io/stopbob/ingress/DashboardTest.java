package io.stopbob.ingress;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.stopbob.events.SlackUser;
import io.stopbob.schemas.EventMother;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's HTML, its thread pages and its server-sent events (the browser test is
 * in system-test).
 */
class DashboardTest extends IngressTest {

	@Test
	void thePageShowsTargetsAndHistoryEscapingWhatPeopleTyped() {
		this.publisher.publish(EventMother.deployRequested("d-dash-1")
			.setMeta(EventMother.meta("d-dash-1").setEnvironment("fragile").build())
			.setRequestedBy(new SlackUser("U1MAL", "<script>alert(1)</script>"))
			.build());
		this.publisher.publish(EventMother.deployFinished("d-dash-1")
			.setMeta(EventMother.meta("d-dash-1").setEnvironment("fragile").build())
			.build());
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.ledger.find("d-dash-1").map((deploy) -> deploy.finished()).orElse(false));

		String page = get("/").body();
		assertThat(page).contains("<h2>Targets</h2>")
			.contains("<h2>In flight</h2>")
			.contains("<h2>History</h2>")
			.contains("<h2>Delivery, last 30 days</h2>")
			.contains("<svg id=\"weekly\"")
			.contains("<a href=\"/deploys/d-dash-1\">d-dash-1</a>")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.doesNotContain("<script>alert(1)</script>")
			.contains("new EventSource('/dashboard/events')");
		assertThat(get("/deploys/d-dash-1").body()).contains("<div class=\"thread\">")
			.contains("deploying demo `3f9c2a1` to fragile")
			.contains("is live on fragile");
		assertThat(get("/deploys/d-nothing").statusCode()).isEqualTo(404);
	}

	@Test
	void aChangedDeployIsPushedToOpenPagesAsAServerSentEvent() throws Exception {
		HttpRequest events = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/dashboard/events"))
			.header("Accept", "text/event-stream")
			.header("Authorization", basic("api", API_TOKEN))
			.timeout(Duration.ofSeconds(10))
			.build();
		HttpResponse<InputStream> stream = HttpClient.newHttpClient()
			.send(events, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).isEqualTo(200);
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
				try {
					String line;
					while ((line = lines.readLine()) != null) {
						if (line.startsWith("data:") && line.contains("d-dash-2")) {
							return line;
						}
					}
					return null;
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			});
			this.publisher.publish(EventMother.deployRequested("d-dash-2")
				.setMeta(EventMother.meta("d-dash-2").setEnvironment("fragile").build())
				.build());

			assertThat(data.get(20, TimeUnit.SECONDS)).isEqualTo("data:d-dash-2");
		}
		finish("d-dash-2", "demo", "fragile");
	}

	@Test
	void thePageAndItsStreamAreOnlyForNamedCallers() {
		for (String path : java.util.List.of("/", "/dashboard/live", "/dashboard/events", "/deploys/d-dash-1")) {
			HttpResponse<String> anonymous = send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build());
			assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
		}
		HttpResponse<String> wrongName = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/"))
			.header("Authorization", basic("U0RELEASER", API_TOKEN))
			.build());
		assertThat(wrongName.statusCode()).as("a token under another caller's name").isEqualTo(401);
	}

	private HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", basic("api", API_TOKEN))
			.build());
	}

	private static String basic(String name, String token) {
		return "Basic "
				+ java.util.Base64.getEncoder().encodeToString((name + ":" + token).getBytes(StandardCharsets.UTF_8));
	}

}
