package io.stopbob.rollout;

import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.RolloutProgress;
import io.stopbob.rollout.kubernetes.FakeCluster;
import io.stopbob.schemas.EventMother;
import io.stopbob.testkit.TopicProbe;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target whose catalog line says kubernetes: the same BuildPassed on the bus rolls its
 * Deployment out, and the outcome comes back on the bus.
 */
class KubernetesTest extends RolloutServiceTest {

	@Test
	void aBuildForAKubernetesTargetPatchesItsDeploymentAndSucceedsOnceTheNewPodsAreReady() {
		try (KubernetesClient client = kubernetes.createClient()) {
			FakeCluster cluster = new FakeCluster(client);
			cluster.deployment("demo-web", 2, "registry.example.com/demo:old");
			String deployId = newDeployId();
			var meta = EventMother.meta(deployId).setEnvironment("cluster");

			try (TopicProbe events = probe()) {
				this.publisher.publish(requestedAndTagged(deployId, "cluster", GOOD, "cluster-1")
					.setMeta(meta.setEventId(deployId + ":built").build())
					.build());

				Awaitility.await()
					.atMost(Duration.ofSeconds(20))
					.until(() -> cluster.image("demo-web").equals("registry.example.com/demo:" + GOOD));
				cluster.newRevision("demo-web");
				cluster.pods("demo-web", 1, 0, 1);
				cluster.pods("demo-web", 2, 0, 0);

				DeployFinished finished = finished(events, deployId);
				assertThat(finished.getOutcome()).isEqualTo(DeployOutcome.SUCCEEDED);
				List<RolloutProgress> progress = progress(events, deployId);
				assertThat(progress).extracting((p) -> p.getBackendDeploymentId())
					.containsOnly("kubernetes:shop/demo-web");
				assertThat(progress.get(progress.size() - 1).getInstances().getSucceeded()).isEqualTo(2);
				assertThat(cluster.get("demo-web").getMetadata().getAnnotations())
					.containsEntry("stop-bob.io/deploy-id", deployId);
			}
		}
	}

}
