package io.stopbob.rollout.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Progressed;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.Target;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.Rollout;
import io.stopbob.platform.retry.Outages;
import io.stopbob.platform.retry.Retrying;
import io.stopbob.rollout.TestCatalogs;
import io.stopbob.rollout.rolling.FollowRollout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes backend under the rollout follower, against fabric8's mock API server in
 * CRUD mode, with {@link FakeCluster} doing what the controller and kubelet would.
 */
class KubernetesRolloutTest {

	private static final Target TARGET = new Target("shop", "production");

	private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

	private final List<ScheduledExecutorService> schedulers = new ArrayList<>();

	private final List<PipelineEvent> published = new CopyOnWriteArrayList<>();

	private final Catalog catalog = TestCatalogs.of("""
			apps:
			  shop:
			    repository: stop-bob/shop
			    deploy-channel: C1
			    changelog-channel: C2
			    environments:
			      production:
			        tag-prefix: production-
			        rollout:
			          backend: kubernetes
			          kubernetes:
			            namespace: shop
			            deployments: [shop-web, shop-worker]
			            container: web
			            image: registry.example.com/shop:{sha}
			""");

	private KubernetesMockServer server;

	private NamespacedKubernetesClient client;

	private FakeCluster cluster;

	@BeforeEach
	void startTheApiServer() {
		// Watches, polls and the mock server share a busy two-core machine: give each
		// step time, not the default ten seconds.
		Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
		this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesMixedDispatcher(new HashMap<>()), true);
		this.server.init();
		this.client = this.server.createClient();
		this.cluster = new FakeCluster(this.client);
		this.cluster.deployment("shop-web", 4, "registry.example.com/shop:old");
		this.cluster.deployment("shop-worker", 2, "registry.example.com/shop:old");
		requests();
	}

	@AfterEach
	void stop() {
		Awaitility.reset();
		this.schedulers.forEach(ScheduledExecutorService::shutdownNow);
		// A poll still talking to the server would keep it from closing.
		for (ScheduledExecutorService scheduler : this.schedulers) {
			try {
				scheduler.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.client.close();
		try {
			this.server.destroy();
		}
		catch (IllegalStateException ex) {
			// Vert.x gives the close ten seconds, which a loaded two-core machine can
			// overrun; the server only holds a loopback port, gone with this JVM.
			System.err.println("KubernetesRolloutTest: " + ex.getMessage() + ", left to the JVM's exit");
		}
	}

	@Test
	void aRolloutWhoseReplicaSetsBecomeReadySucceedsWithProgressOnTheWay() {
		Ledger ledger = ledger();
		follower(ledger).built(ledger.find("d-1").orElseThrow());

		Awaitility.await().until(() -> "d-1".equals(annotation("shop-worker", KubernetesBackend.DEPLOY_ID)));
		Deployment web = this.cluster.get("shop-web");
		assertThat(web.getSpec().getTemplate().getSpec().getContainers()).extracting((c) -> c.getImage())
			.containsExactly("registry.example.com/shop:" + SHA, "fluent-bit:3");
		assertThat(web.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
		assertThat(web.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("50%");
		assertThat(web.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
		assertThat(web.getMetadata().getAnnotations()).containsEntry(KubernetesBackend.SHA, SHA)
			.containsEntry(KubernetesBackend.FROM_REVISION, "1")
			.containsEntry(KubernetesBackend.FROM_REPLICA_SET, "shop-web-h1");

		this.cluster.newRevision("shop-web");
		this.cluster.newRevision("shop-worker");
		this.cluster.pods("shop-web", 2, 0, 2);
		this.cluster.pods("shop-worker", 1, 0, 1);
		Awaitility.await().until(() -> progress().stream().anyMatch((p) -> p.instances().succeeded() == 3));
		this.cluster.pods("shop-web", 4, 0, 0);
		this.cluster.pods("shop-worker", 2, 0, 0);

		Finished finished = awaitFinished();
		assertThat(finished.outcome()).isEqualTo(Outcome.SUCCEEDED);
		assertThat(progress()).extracting((p) -> p.instances().succeeded()).isSorted().contains(0, 3, 6);
		assertThat(progress()).extracting(Progressed::batch).contains(1, 2);
		assertThat(progress().get(progress().size() - 1).state()).isEqualTo("SUCCEEDED");
		assertThat(progress()).extracting(Progressed::backendDeploymentId)
			.containsOnly("kubernetes:shop/shop-web,shop-worker");
	}

	@Test
	void aRolloutThatNeverBecomesReadyIsRolledBackNamingThePodAndWhy() {
		Ledger ledger = ledger();
		follower(ledger).built(ledger.find("d-1").orElseThrow());
		Awaitility.await().until(() -> "d-1".equals(annotation("shop-worker", KubernetesBackend.DEPLOY_ID)));

		this.cluster.newRevision("shop-web");
		this.cluster.newRevision("shop-worker");
		this.cluster.pods("shop-web", 1, 1, 2);

		Finished finished = awaitFinished();
		assertThat(finished.outcome()).isEqualTo(Outcome.ROLLED_BACK);
		assertThat(finished.reason()).contains("shop-web-h2-p1 failed CrashLoopBackOff")
			.contains("container web restarted 4 times")
			.contains("rolled back shop-web to revision 1 (registry.example.com/shop:old)");
		assertThat(this.cluster.image("shop-web")).isEqualTo("registry.example.com/shop:old");
		assertThat(this.cluster.image("shop-worker")).isEqualTo("registry.example.com/shop:old");
		assertThat(this.cluster.get("shop-web").getSpec().getTemplate().getMetadata().getLabels())
			.doesNotContainKey("pod-template-hash");
		Progressed last = progress().get(progress().size() - 1);
		assertThat(last.state()).isEqualTo("ROLLED_BACK");
		assertThat(last.instances().succeeded()).isEqualTo(1);
		assertThat(last.instances().failed()).isEqualTo(1);
		assertThat(last.failures()).extracting((failure) -> failure.instanceId()).containsExactly("shop-web-h2-p1");
	}

	@Test
	void aDeploymentPastItsProgressDeadlineIsRolledBackNamingThePodThatIsNotReady() {
		Ledger ledger = ledger();
		follower(ledger).built(ledger.find("d-1").orElseThrow());
		Awaitility.await().until(() -> "d-1".equals(annotation("shop-worker", KubernetesBackend.DEPLOY_ID)));
		this.cluster.newRevision("shop-web");
		this.cluster.newRevision("shop-worker");
		this.cluster.pods("shop-worker", 1, 0, 1);
		Deployment worker = this.cluster.get("shop-worker");

		this.cluster.progressDeadlineExceeded("shop-web", Instant.now());

		Finished finished = awaitFinished();
		assertThat(finished.outcome()).isEqualTo(Outcome.ROLLED_BACK);
		assertThat(finished.reason()).contains("the progress deadline of shop-web passed");
		assertThat(worker.getMetadata().getName()).isEqualTo("shop-worker");
	}

	@Test
	void aRestartMidRolloutFindsTheDeploymentsAgainAndPatchesNothingTwice() {
		List<PipelineEvent> history = List.of(requested(), built());
		Ledger before = new Ledger();
		history.forEach(before::apply);
		follower(before).built(before.find("d-1").orElseThrow());
		Awaitility.await().until(() -> "d-1".equals(annotation("shop-worker", KubernetesBackend.DEPLOY_ID)));
		this.cluster.newRevision("shop-web");
		this.cluster.newRevision("shop-worker");
		this.cluster.pods("shop-web", 2, 0, 2);
		Awaitility.await().until(() -> progress().stream().anyMatch((p) -> p.instances().succeeded() == 2));

		// The service dies; its replacement rebuilds its ledger from the log and follows
		// again, and a duplicate BuildPassed reaches it as well.
		this.schedulers.get(0).shutdownNow();
		Ledger after = new Ledger();
		history.forEach(after::apply);
		this.published.forEach(after::apply);
		FollowRollout replacement = follower(after);
		replacement.built(after.find("d-1").orElseThrow());
		replacement.built(after.find("d-1").orElseThrow());
		this.cluster.pods("shop-web", 4, 0, 0);
		this.cluster.pods("shop-worker", 2, 0, 0);

		assertThat(awaitFinished().outcome()).isEqualTo(Outcome.SUCCEEDED);
		assertThat(patches()).containsExactly("/apis/apps/v1/namespaces/shop/deployments/shop-web",
				"/apis/apps/v1/namespaces/shop/deployments/shop-worker");
	}

	@Test
	void progressIsReportedAsTheClusterChangesNotAtTheNextPoll() {
		Ledger ledger = ledger();
		follower(ledger, Duration.ofHours(1)).built(ledger.find("d-1").orElseThrow());
		Awaitility.await().until(() -> progress().size() == 1);

		this.cluster.newRevision("shop-web");
		this.cluster.newRevision("shop-worker");
		long changed = System.nanoTime();
		this.cluster.pods("shop-web", 2, 0, 2);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> progress().stream().anyMatch((p) -> p.instances().succeeded() == 2));
		System.out.printf("kubernetes: pods ready -> progress published in %d ms, polls every hour%n",
				(System.nanoTime() - changed) / 1_000_000);
		this.cluster.pods("shop-web", 4, 0, 0);
		this.cluster.pods("shop-worker", 2, 0, 0);

		assertThat(awaitFinished().outcome()).isEqualTo(Outcome.SUCCEEDED);
	}

	@Test
	void aStopRequestPutsThePreviousTemplateBack() {
		Ledger ledger = ledger();
		FollowRollout follower = follower(ledger);
		follower.built(ledger.find("d-1").orElseThrow());
		Awaitility.await().until(() -> "d-1".equals(annotation("shop-worker", KubernetesBackend.DEPLOY_ID)));
		this.cluster.newRevision("shop-web");
		this.cluster.newRevision("shop-worker");

		follower.endedElsewhere("d-1");

		assertThat(this.cluster.image("shop-web")).isEqualTo("registry.example.com/shop:old");
		assertThat(this.cluster.image("shop-worker")).isEqualTo("registry.example.com/shop:old");
		assertThat(annotation("shop-web", KubernetesBackend.ROLLED_BACK)).startsWith("the deploy was stopped");
	}

	@Test
	void aProgressDeadlineThatPassedBeforeThisRolloutDoesNotRollItBack() {
		this.cluster.progressDeadlineExceeded("shop-web", Instant.now().minus(Duration.ofHours(1)));
		Ledger ledger = ledger();
		follower(ledger).built(ledger.find("d-1").orElseThrow());
		Awaitility.await().until(() -> "d-1".equals(annotation("shop-worker", KubernetesBackend.DEPLOY_ID)));

		this.cluster.newRevision("shop-web");
		this.cluster.newRevision("shop-worker");
		this.cluster.progressDeadlineExceeded("shop-web", Instant.now().minus(Duration.ofHours(1)));
		this.cluster.pods("shop-web", 4, 0, 0);
		this.cluster.pods("shop-worker", 2, 0, 0);

		assertThat(awaitFinished().outcome()).isEqualTo(Outcome.SUCCEEDED);
	}

	@Test
	void aStartThatACrashCutShortIsFinishedAfterTheRestartHoweverOldTheBuild() {
		// shop-web patched as one patch does it (the deploy's image and annotation), then
		// the crash: shop-worker not yet.
		this.cluster.edit("shop-web", (deployment) -> {
			deployment.getMetadata().getAnnotations().put(KubernetesBackend.DEPLOY_ID, "d-1");
			deployment.getSpec()
				.getTemplate()
				.getSpec()
				.getContainers()
				.get(0)
				.setImage("registry.example.com/shop:" + SHA);
		});
		Ledger ledger = new Ledger();
		ledger.apply(requested());
		ledger.apply(new Built(new Meta("e-2", "d-1", TARGET, Instant.now().minus(Duration.ofHours(3)), "test"), SHA,
				"production-1", "ci", List.of("build"), null, false));

		follower(ledger).built(ledger.find("d-1").orElseThrow());

		Awaitility.await().until(() -> "d-1".equals(annotation("shop-worker", KubernetesBackend.DEPLOY_ID)));
		assertThat(this.cluster.image("shop-worker")).isEqualTo("registry.example.com/shop:" + SHA);
		assertThat(patches()).containsExactly("/apis/apps/v1/namespaces/shop/deployments/shop-worker");
	}

	@Test
	void aPausedDeploymentIsRefusedBeforeAnythingChanges() {
		this.cluster.edit("shop-worker", (deployment) -> deployment.getSpec().setPaused(true));
		Ledger ledger = ledger();

		follower(ledger).built(ledger.find("d-1").orElseThrow());

		Finished finished = awaitFinished();
		assertThat(finished.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(finished.reason()).contains("Deployment shop/shop-worker is paused: resume it");
		assertThat(annotation("shop-web", KubernetesBackend.DEPLOY_ID)).isNull();
	}

	@Test
	void anImageSetBySomeoneElseMidRolloutEndsItFailedNotSucceeded() {
		Ledger ledger = ledger();
		follower(ledger).built(ledger.find("d-1").orElseThrow());
		Awaitility.await().until(() -> "d-1".equals(annotation("shop-worker", KubernetesBackend.DEPLOY_ID)));

		this.cluster.edit("shop-web",
				(deployment) -> deployment.getSpec()
					.getTemplate()
					.getSpec()
					.getContainers()
					.get(0)
					.setImage("registry.example.com/shop:hotfix"));

		Finished finished = awaitFinished();
		assertThat(finished.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(finished.reason())
			.contains("Deployment shop/shop-web was set to registry.example.com/shop:hotfix during this rollout");
	}

	@Test
	void aDeploymentWithoutTheNamedContainerFailsBeforeAnythingChanges() {
		this.cluster.edit("shop-worker",
				(deployment) -> deployment.getSpec().getTemplate().getSpec().getContainers().get(0).setName("app"));
		Ledger ledger = ledger();

		follower(ledger).built(ledger.find("d-1").orElseThrow());

		Finished finished = awaitFinished();
		assertThat(finished.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(finished.reason()).contains("Deployment shop/shop-worker has no container named web");
		assertThat(annotation("shop-web", KubernetesBackend.DEPLOY_ID)).isNull();
	}

	@Test
	void anAppWithoutTheNamedDeploymentFailsSayingWhich() {
		this.client.apps().deployments().inNamespace(FakeCluster.NAMESPACE).withName("shop-worker").delete();
		Ledger ledger = ledger();

		follower(ledger).built(ledger.find("d-1").orElseThrow());

		Finished finished = awaitFinished();
		assertThat(finished.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(finished.reason()).contains("Deployment shop/shop-worker does not exist in the cluster");
		assertThat(annotation("shop-web", KubernetesBackend.DEPLOY_ID)).isNull();
	}

	private FollowRollout follower(Ledger ledger) {
		return follower(ledger, Duration.ofMillis(20));
	}

	private FollowRollout follower(Ledger ledger, Duration pollInterval) {
		ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
		this.schedulers.add(scheduler);
		KubernetesBackend backend = new KubernetesBackend(this.client,
				new Retrying("Kubernetes", 2, Duration.ofMillis(10), Duration.ofMillis(50)), Clock.systemUTC());
		return new FollowRollout(this.catalog, ledger, Map.of(Rollout.Backend.KUBERNETES, backend), this.published::add,
				Outages.unwatched(), scheduler, Clock.systemUTC(), Duration.ofMillis(20), Duration.ofMinutes(15),
				"rollout-service");
	}

	private Ledger ledger() {
		Ledger ledger = new Ledger();
		ledger.apply(requested());
		ledger.apply(built());
		return ledger;
	}

	private String annotation(String deployment, String key) {
		return this.cluster.get(deployment).getMetadata().getAnnotations().get(key);
	}

	private Finished awaitFinished() {
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.published.stream().anyMatch(Finished.class::isInstance));
		Awaitility.await().during(Duration.ofMillis(300)).until(() -> true);
		assertThat(this.published.stream().filter(Finished.class::isInstance)).hasSize(1);
		return this.published.stream()
			.filter(Finished.class::isInstance)
			.map(Finished.class::cast)
			.findFirst()
			.orElseThrow();
	}

	private List<Progressed> progress() {
		return this.published.stream().filter(Progressed.class::isInstance).map(Progressed.class::cast).toList();
	}

	/** Paths of the PATCH requests the server has seen since the last call. */
	private List<String> patches() {
		return requests().stream()
			.filter((request) -> "PATCH".equals(request.getMethod()))
			.map(RecordedRequest::getPath)
			.toList();
	}

	private List<RecordedRequest> requests() {
		List<RecordedRequest> requests = new ArrayList<>();
		try {
			RecordedRequest request;
			while ((request = this.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
				requests.add(request);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return requests;
	}

	private static Requested requested() {
		return new Requested(meta("e-1"), SHA, Kind.DEPLOY, new Person("U1", "bob"), null, null);
	}

	private static Built built() {
		return new Built(meta("e-2"), SHA, "production-1", "ci", List.of("build"), null, false);
	}

	private static Meta meta(String eventId) {
		return new Meta(eventId, "d-1", TARGET, Instant.now(), "test");
	}

}
