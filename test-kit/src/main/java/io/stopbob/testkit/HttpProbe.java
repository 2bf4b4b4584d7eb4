package io.stopbob.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP calls to a service on loopback, as a load balancer or a person with curl
 * would.
 */
public final class HttpProbe {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpProbe() {
	}

	public static Response get(int port, String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)));
	}

	/** As the test caller ({@link ServiceTest#TOKEN}), whom the edge lets see details. */
	public static Response getAsCaller(int port, String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer " + ServiceTest.TOKEN));
	}

	private static Response send(HttpRequest.Builder builder) {
		HttpRequest request = builder.timeout(Duration.ofSeconds(15)).GET().build();
		String path = request.uri().getPath();
		try {
			HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new AssertionError("GET " + path + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

	/** As the test caller, until the path answers {@code status}. */
	public static Response awaitStatus(int port, String path, int status, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		Response last = getAsCaller(port, path);
		while (last.status() != status && System.nanoTime() < deadline) {
			Thread.sleep(250);
			last = getAsCaller(port, path);
		}
		if (last.status() != status) {
			throw new AssertionError("expected " + status + " from " + path + " within " + timeout + ", last was "
					+ last.status() + ": " + last.body());
		}
		return last;
	}

	public record Response(int status, String body) {
	}

}
