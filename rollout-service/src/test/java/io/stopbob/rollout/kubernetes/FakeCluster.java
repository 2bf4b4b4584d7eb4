package io.stopbob.rollout.kubernetes;

import java.time.Instant;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/**
 * Plays the Deployment controller and the kubelet over fabric8's CRUD mock server, which
 * only stores objects: a ReplicaSet per template revision, its pods and their container
 * states, and the Deployment's status. It writes with PUT, so every PATCH the server sees
 * comes from the backend under test.
 */
public final class FakeCluster {

	public static final String NAMESPACE = "shop";

	private final KubernetesClient client;

	public FakeCluster(KubernetesClient client) {
		this.client = client;
	}

	/** A Deployment at revision 1 running the image, all its pods ready. */
	public void deployment(String name, int replicas, String image) {
		Deployment deployment = this.client.apps()
			.deployments()
			.inNamespace(NAMESPACE)
			.resource(new DeploymentBuilder().withNewMetadata()
				.withName(name)
				.withNamespace(NAMESPACE)
				.addToAnnotations(KubernetesBackend.REVISION, "1")
				.endMetadata()
				.withNewSpec()
				.withReplicas(replicas)
				.withNewSelector()
				.addToMatchLabels("app", name)
				.endSelector()
				.withNewTemplate()
				.withNewMetadata()
				.addToLabels("app", name)
				.endMetadata()
				.withNewSpec()
				.addNewContainer()
				.withName("web")
				.withImage(image)
				.endContainer()
				.addNewContainer()
				.withName("log-shipper")
				.withImage("fluent-bit:3")
				.endContainer()
				.endSpec()
				.endTemplate()
				.withProgressDeadlineSeconds(600)
				.endSpec()
				.build())
			.create();
		replicaSet(deployment, 1);
		pods(name, replicas, 0, 0);
	}

	/**
	 * The controller has seen the new template: a ReplicaSet of the next revision, none
	 * of its pods up yet.
	 */
	public void newRevision(String name) {
		Deployment deployment = get(name);
		int revision = Integer.parseInt(deployment.getMetadata().getAnnotations().get(KubernetesBackend.REVISION)) + 1;
		deployment.getMetadata().getAnnotations().put(KubernetesBackend.REVISION, Integer.toString(revision));
		replicaSet(this.client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).update(), revision);
		int replicas = deployment.getSpec().getReplicas();
		pods(name, 0, 0, replicas);
	}

	/**
	 * Pods of the newest ReplicaSet: so many ready, so many crash-looping, and so many
	 * old ones still running.
	 */
	public void pods(String name, int ready, int crashing, int old) {
		Deployment deployment = get(name);
		ReplicaSet newest = newest(deployment);
		// Counts first, then the pods: what a poll sees never has more pods than counts.
		newest.setStatus(new ReplicaSetStatusBuilder().withReplicas(ready + crashing)
			.withReadyReplicas(ready)
			.withAvailableReplicas(ready)
			.build());
		this.client.apps().replicaSets().inNamespace(NAMESPACE).resource(newest).update();
		deployment
			.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
				.withReplicas(ready + crashing + old)
				.withUpdatedReplicas(ready + crashing)
				.withReadyReplicas(ready + old)
				.withAvailableReplicas(ready + old)
				.build());
		this.client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).update();
		this.client.pods().inNamespace(NAMESPACE).withLabels(Map.of("app", name)).delete();
		// The mock server may answer the delete before the pods are gone: wait for it, or
		// creating the new pods under the same names finds them still there.
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
		while (!this.client.pods().inNamespace(NAMESPACE).withLabels(Map.of("app", name)).list().getItems().isEmpty()
				&& System.nanoTime() < deadline) {
			sleep(20);
		}
		for (int i = 0; i < ready + crashing; i++) {
			boolean up = i < ready;
			this.client.pods()
				.inNamespace(NAMESPACE)
				.resource(new PodBuilder().withNewMetadata()
					.withName(newest.getMetadata().getName() + "-p" + i)
					.withNamespace(NAMESPACE)
					.withLabels(newest.getSpec().getSelector().getMatchLabels())
					.withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
						.withKind("ReplicaSet")
						.withName(newest.getMetadata().getName())
						.withUid(newest.getMetadata().getUid())
						.withController(true)
						.build())
					.endMetadata()
					.withNewStatus()
					.withContainerStatuses(up
							? new ContainerStatusBuilder().withName("web")
								.withReady(true)
								.withRestartCount(0)
								.withNewState()
								.withNewRunning()
								.endRunning()
								.endState()
								.build()
							: new ContainerStatusBuilder().withName("web")
								.withReady(false)
								.withRestartCount(4)
								.withNewState()
								.withNewWaiting()
								.withReason("CrashLoopBackOff")
								.withMessage("back-off 1m20s restarting failed container=web")
								.endWaiting()
								.endState()
								.build())
					.endStatus()
					.build())
				.createOr(NonDeletingOperation::update);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The Deployment made no progress within its deadline, as of that time. */
	public void progressDeadlineExceeded(String name, Instant at) {
		Deployment deployment = get(name);
		deployment.getStatus()
			.getConditions()
			.add(new DeploymentConditionBuilder().withType("Progressing")
				.withStatus("False")
				.withReason("ProgressDeadlineExceeded")
				.withLastUpdateTime(at.toString())
				.withMessage("ReplicaSet has timed out progressing.")
				.build());
		this.client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).update();
	}

	/** Someone outside StoP Bob edits the Deployment (kubectl, a GitOps controller). */
	public void edit(String name, java.util.function.Consumer<Deployment> change) {
		Deployment deployment = get(name);
		change.accept(deployment);
		this.client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).update();
	}

	public Deployment get(String name) {
		return this.client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
	}

	public String image(String name) {
		return get(name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
	}

	private void replicaSet(Deployment deployment, int revision) {
		String name = deployment.getMetadata().getName();
		String hash = "h" + revision;
		ReplicaSet replicaSet = new ReplicaSetBuilder().withNewMetadata()
			.withName(name + "-" + hash)
			.withNamespace(NAMESPACE)
			.addToLabels("app", name)
			.addToLabels("pod-template-hash", hash)
			.addToAnnotations(KubernetesBackend.REVISION, Integer.toString(revision))
			.endMetadata()
			.withNewSpec()
			.withNewSelector()
			.addToMatchLabels("app", name)
			.addToMatchLabels("pod-template-hash", hash)
			.endSelector()
			.withTemplate(new PodTemplateSpecBuilder(deployment.getSpec().getTemplate()).editMetadata()
				.addToLabels("pod-template-hash", hash)
				.endMetadata()
				.build())
			.endSpec()
			.build();
		replicaSet.addOwnerReference(deployment);
		this.client.apps().replicaSets().inNamespace(NAMESPACE).resource(replicaSet).create();
	}

	private ReplicaSet newest(Deployment deployment) {
		String revision = deployment.getMetadata().getAnnotations().get(KubernetesBackend.REVISION);
		return this.client.apps()
			.replicaSets()
			.inNamespace(NAMESPACE)
			.withLabels(Map.of("app", deployment.getMetadata().getName()))
			.list()
			.getItems()
			.stream()
			.filter((replicaSet) -> revision
				.equals(replicaSet.getMetadata().getAnnotations().get(KubernetesBackend.REVISION)))
			.findFirst()
			.orElseThrow();
	}

}
