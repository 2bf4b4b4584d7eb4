package io.stopbob.rollout.local;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import com.sun.net.httpserver.HttpServer;
import io.stopbob.ledger.PipelineEvent.InstanceFailure;
import io.stopbob.ledger.PipelineEvent.Instances;
import io.stopbob.ledger.Target;
import io.stopbob.rollout.rolling.RolloutBackend;
import io.stopbob.rollout.rolling.RolloutRequest;
import io.stopbob.rollout.rolling.RolloutStatus;
import io.stopbob.rollout.rolling.RolloutStatus.State;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A fleet on this machine: per target, N instances, each an HTTP server on loopback
 * serving {@code /health} and {@code /version}. Rolling out switches half the fleet to
 * the new SHA, waits for each switched instance's {@code /health} to answer 200, then the
 * other half. An instance is unhealthy on a SHA whose tree has {@code .stop-health}
 * saying {@code fail}: a failed health check stops the rollout and puts the switched
 * instances back on their previous SHA.
 */
public class LocalFleet implements RolloutBackend, AutoCloseable {

	private final ExecutorService runner;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<Target, List<Instance>> fleets = new ConcurrentHashMap<>();

	private final Map<String, Run> runs = new ConcurrentHashMap<>();

	public LocalFleet(ExecutorService runner) {
		this.runner = runner;
	}

	@Override
	public Optional<String> find(RolloutRequest request) {
		return Optional.ofNullable(this.runs.get(request.deployId())).map(Run::id);
	}

	@Override
	public synchronized String start(RolloutRequest request) {
		Run existing = this.runs.get(request.deployId());
		if (existing != null) {
			return existing.id();
		}
		List<Instance> fleet = this.fleets.computeIfAbsent(request.target(),
				(target) -> startFleet(target, request.settings().local().instances()));
		Run run = new Run("local-" + request.deployId(), fleet.size());
		this.runs.put(request.deployId(), run);
		this.runner.execute(() -> roll(request, fleet, run));
		return run.id();
	}

	@Override
	public RolloutStatus status(RolloutRequest request, String deploymentId) {
		Run run = this.runs.get(request.deployId());
		if (run == null) {
			return new RolloutStatus(State.FAILED, new Instances(0, 0, 0, 0, 0), null, null, List.of(),
					"the local fleet has no deployment " + deploymentId + " (rollout-service restarted?)");
		}
		return run.snapshot();
	}

	@Override
	public void stop(RolloutRequest request, String deploymentId) {
		Run run = this.runs.get(request.deployId());
		if (run != null) {
			run.stopRequested = true;
		}
	}

	/**
	 * The instances of a target, for the dashboard and tests: port and the SHA each runs.
	 */
	public List<String> describe(Target target) {
		return this.fleets.getOrDefault(target, List.of())
			.stream()
			.map((instance) -> instance.id + " 127.0.0.1:" + instance.port() + " " + instance.sha)
			.toList();
	}

	private void roll(RolloutRequest request, List<Instance> fleet, Run run) {
		boolean healthy = !failsHealthCheck(request.repository(), request.sha());
		int half = (fleet.size() + 1) / 2;
		List<List<Instance>> batches = List.of(fleet.subList(0, half), fleet.subList(half, fleet.size()));
		List<Instance> switched = new ArrayList<>();
		Map<Instance, String> previous = new ConcurrentHashMap<>();
		for (int b = 0; b < batches.size(); b++) {
			run.batch = b + 1;
			for (Instance instance : batches.get(b)) {
				run.pending--;
				run.inProgress++;
				previous.put(instance, instance.sha);
				instance.switchTo(request.sha(), healthy);
				switched.add(instance);
			}
			for (Instance instance : batches.get(b)) {
				boolean up = awaitHealth(instance, request.settings().local().healthTimeout());
				run.inProgress--;
				if (!up || run.stopRequested) {
					if (!up) {
						run.failed++;
						run.failures.add(new InstanceFailure(instance.id, "health check",
								"GET /health did not answer 200 within "
										+ request.settings().local().healthTimeout().toSeconds() + " s"));
					}
					switched.forEach((back) -> back.switchTo(previous.get(back), true));
					run.inProgress = 0;
					run.finish(run.stopRequested ? State.STOPPED : State.ROLLED_BACK,
							"put " + switched.size() + " switched instance(s) back on their previous version");
					return;
				}
				run.succeeded++;
			}
		}
		run.finish(State.SUCCEEDED, null);
	}

	private boolean awaitHealth(Instance instance, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		do {
			try {
				if (this.http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return true;
				}
				Thread.sleep(100);
			}
			catch (IOException ex) {
				// Not answering yet: try again until the timeout.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		while (System.nanoTime() < deadline);
		return false;
	}

	/**
	 * A commit marks itself unhealthy with {@code .stop-health} containing {@code fail}.
	 */
	static boolean failsHealthCheck(String repository, String sha) {
		try (Git git = Git.open(new File(repository)); RevWalk walk = new RevWalk(git.getRepository())) {
			ObjectId id = git.getRepository().resolve(sha + "^{commit}");
			if (id == null) {
				return false;
			}
			RevCommit commit = walk.parseCommit(id);
			try (TreeWalk file = TreeWalk.forPath(git.getRepository(), ".stop-health", commit.getTree())) {
				if (file == null) {
					return false;
				}
				String content = new String(git.getRepository().open(file.getObjectId(0)).getBytes(),
						StandardCharsets.UTF_8);
				return content.strip().equals("fail");
			}
		}
		catch (IOException ex) {
			return false;
		}
	}

	private List<Instance> startFleet(Target target, int size) {
		List<Instance> fleet = new ArrayList<>();
		for (int i = 1; i <= size; i++) {
			fleet.add(new Instance(target.app() + "-" + target.environment() + "-" + i));
		}
		return List.copyOf(fleet);
	}

	@Override
	public void close() {
		this.fleets.values().forEach((fleet) -> fleet.forEach(Instance::stop));
	}

	/** One instance: an HTTP server on loopback whose health follows the SHA it runs. */
	static final class Instance {

		private final String id;

		private final HttpServer server;

		private volatile String sha = "none";

		private volatile boolean healthy = true;

		Instance(String id) {
			this.id = id;
			try {
				this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot start local instance " + id, ex);
			}
			this.server.createContext("/health", (exchange) -> {
				byte[] body = (this.healthy ? "ok" : "unhealthy: " + this.sha).getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(this.healthy ? 200 : 503, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			this.server.createContext("/version", (exchange) -> {
				byte[] body = this.sha.getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			this.server.start();
		}

		int port() {
			return this.server.getAddress().getPort();
		}

		void switchTo(String sha, boolean healthy) {
			this.sha = sha;
			this.healthy = healthy;
		}

		void stop() {
			this.server.stop(0);
		}

	}

	/** One rollout's progress; written by its runner thread, read by the poller. */
	private static final class Run {

		private final String id;

		private final int total;

		private final List<InstanceFailure> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

		private volatile int succeeded;

		private volatile int failed;

		private volatile int inProgress;

		private volatile int pending;

		private volatile int batch = 1;

		private volatile State state = State.IN_PROGRESS;

		private volatile String message;

		private volatile boolean stopRequested;

		Run(String id, int total) {
			this.id = id;
			this.total = total;
			this.pending = total;
		}

		String id() {
			return this.id;
		}

		void finish(State state, String message) {
			this.message = message;
			this.state = state;
		}

		RolloutStatus snapshot() {
			return new RolloutStatus(this.state,
					new Instances(this.total, this.succeeded, this.failed, this.inProgress, this.pending), this.batch,
					2, List.copyOf(this.failures), this.message);
		}

	}

}
