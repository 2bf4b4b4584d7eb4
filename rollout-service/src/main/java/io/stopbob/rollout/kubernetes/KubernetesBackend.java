package io.stopbob.rollout.kubernetes;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.stopbob.ledger.PipelineEvent.InstanceFailure;
import io.stopbob.ledger.PipelineEvent.Instances;
import io.stopbob.platform.catalog.Rollout;
import io.stopbob.platform.retry.Retrying;
import io.stopbob.platform.retry.Retrying.Retry;
import io.stopbob.rollout.rolling.RolloutBackend;
import io.stopbob.rollout.rolling.RolloutRequest;
import io.stopbob.rollout.rolling.RolloutStatus;
import io.stopbob.rollout.rolling.RolloutStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Deployments as the rollout backend. Start patches the target's container
 * image (and a RollingUpdate strategy, half at a time by default) into each Deployment,
 * annotated with the deploy id, by which a restart finds it and a redelivery does not
 * patch it again. Follow reads the Deployment's replica counts and the pods of its new
 * ReplicaSet, where readiness probes are the health checks. A pod crash-looping (or an
 * image that cannot be pulled) or the Deployment's progress deadline passing puts the pod
 * template it ran before back, and the deploy ends rolled back, naming the pod and why.
 */
public class KubernetesBackend implements RolloutBackend {

	private static final Logger log = LoggerFactory.getLogger(KubernetesBackend.class);

	static final String DEPLOY_ID = "stop-bob.io/deploy-id";

	static final String SHA = "stop-bob.io/sha";

	static final String STARTED_AT = "stop-bob.io/started-at";

	/** The ReplicaSet that ran before this deploy: where a rollback goes. */
	static final String FROM_REPLICA_SET = "stop-bob.io/from-replicaset";

	/** Its revision, for people and for a ReplicaSet the controller had not made yet. */
	static final String FROM_REVISION = "stop-bob.io/from-revision";

	/** Set when this deploy was rolled back, with why. */
	static final String ROLLED_BACK = "stop-bob.io/rolled-back";

	static final String REVISION = "deployment.kubernetes.io/revision";

	static final String TEMPLATE_HASH = "pod-template-hash";

	/** Waiting reasons that will not fix themselves. */
	static final Set<String> BROKEN = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName",
			"CreateContainerConfigError", "CreateContainerError", "RunContainerError");

	private final KubernetesClient client;

	private final Retrying retrying;

	private final Clock clock;

	public KubernetesBackend(KubernetesClient client, Retrying retrying, Clock clock) {
		this.client = client;
		this.retrying = retrying;
		this.clock = clock;
	}

	/**
	 * Found when a Deployment of the target carries this deploy's id. A start that a
	 * crash cut short is finished here, so no Deployment is left on the old release.
	 */
	@Override
	public Optional<String> find(RolloutRequest request) {
		Rollout.Kubernetes settings = settings(request);
		long owned = settings.deployments()
			.stream()
			.filter((name) -> request.deployId().equals(annotation(deployment(settings, name), DEPLOY_ID)))
			.count();
		if (owned == 0) {
			return Optional.empty();
		}
		return Optional.of((owned < settings.deployments().size()) ? start(request) : deploymentId(settings));
	}

	@Override
	public String start(RolloutRequest request) {
		Rollout.Kubernetes settings = settings(request);
		String image = settings.image(request.sha(), request.tag());
		// Every Deployment is checked before any is changed.
		Map<String, Deployment> deployments = new LinkedHashMap<>();
		for (String name : settings.deployments()) {
			Deployment current = deployment(settings, name);
			if (current.getSpec()
				.getTemplate()
				.getSpec()
				.getContainers()
				.stream()
				.noneMatch((container) -> container.getName().equals(settings.container()))) {
				throw new IllegalStateException(
						describe(settings, name) + " has no container named " + settings.container());
			}
			if (Boolean.TRUE.equals(current.getSpec().getPaused())) {
				throw new IllegalStateException(describe(settings, name) + " is paused: resume it (kubectl rollout"
						+ " resume deployment/" + name + " -n " + settings.namespace() + ") and deploy again");
			}
			deployments.put(name, current);
		}
		String startedAt = this.clock.instant().toString();
		for (Map.Entry<String, Deployment> entry : deployments.entrySet()) {
			String name = entry.getKey();
			Deployment current = entry.getValue();
			if (request.deployId().equals(annotation(current, DEPLOY_ID))) {
				// Patched before a restart cut the start short: never twice.
				continue;
			}
			String fromRevision = Objects.requireNonNullElse(annotation(current, REVISION), "0");
			String fromReplicaSet = replicaSets(settings, current).stream()
				.filter((replicaSet) -> withoutHash(replicaSet.getSpec().getTemplate())
					.equals(current.getSpec().getTemplate()))
				.map((replicaSet) -> replicaSet.getMetadata().getName())
				.findFirst()
				.orElse("");
			call("patch deployment " + name, () -> resource(settings, name).edit((deployment) -> {
				Deployment patched = new DeploymentBuilder(deployment).editMetadata()
					.addToAnnotations(DEPLOY_ID, request.deployId())
					.addToAnnotations(SHA, request.sha())
					.addToAnnotations(STARTED_AT, startedAt)
					.addToAnnotations(FROM_REPLICA_SET, fromReplicaSet)
					.addToAnnotations(FROM_REVISION, fromRevision)
					.addToAnnotations("kubernetes.io/change-cause",
							"stop-bob " + request.deployId() + ": " + request.tag() + " (" + request.sha() + ")")
					.removeFromAnnotations(ROLLED_BACK)
					.endMetadata()
					.build();
				// Recreate is chosen for a reason (a volume one pod at a time): kept.
				if (patched.getSpec().getStrategy() == null
						|| !"Recreate".equals(patched.getSpec().getStrategy().getType())) {
					patched.getSpec()
						.setStrategy(new DeploymentStrategyBuilder().withType("RollingUpdate")
							.withNewRollingUpdate()
							.withMaxUnavailable(intOrPercent(settings.maxUnavailable()))
							.withMaxSurge(intOrPercent(settings.maxSurge()))
							.endRollingUpdate()
							.build());
				}
				patched.getSpec()
					.getTemplate()
					.getSpec()
					.getContainers()
					.stream()
					.filter((container) -> container.getName().equals(settings.container()))
					.forEach((container) -> container.setImage(image));
				return patched;
			}));
		}
		return deploymentId(settings);
	}

	@Override
	public RolloutStatus status(RolloutRequest request, String deploymentId) {
		Rollout.Kubernetes settings = settings(request);
		String image = settings.image(request.sha(), request.tag());
		int total = 0;
		int updated = 0;
		int available = 0;
		boolean complete = true;
		List<InstanceFailure> failures = new ArrayList<>();
		List<String> rolledBack = new ArrayList<>();
		List<String> stalled = new ArrayList<>();
		List<String> changedElsewhere = new ArrayList<>();
		for (String name : settings.deployments()) {
			Deployment deployment = deployment(settings, name);
			String owner = annotation(deployment, DEPLOY_ID);
			if (!request.deployId().equals(owner)) {
				changedElsewhere.add(describe(settings, name) + " was taken over by "
						+ ((owner != null) ? "deploy " + owner : "someone else"));
				continue;
			}
			String marked = annotation(deployment, ROLLED_BACK);
			if (marked != null) {
				rolledBack.add(name + ": " + marked);
				continue;
			}
			if (Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
				changedElsewhere.add(describe(settings, name) + " was paused");
				continue;
			}
			String running = image(deployment.getSpec().getTemplate(), settings.container());
			if (!image.equals(running)) {
				changedElsewhere.add(describe(settings, name) + " was set to " + running);
				continue;
			}
			DeploymentStatus status = Objects.requireNonNullElseGet(deployment.getStatus(), DeploymentStatus::new);
			int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
			boolean observed = status.getObservedGeneration() != null
					&& status.getObservedGeneration() >= deployment.getMetadata().getGeneration();
			int up = observed ? count(status.getUpdatedReplicas()) : 0;
			// Available pods of the new ReplicaSet only: the Deployment's own count
			// includes the old pods still serving.
			Optional<ReplicaSet> newest = observed ? newReplicaSet(settings, deployment) : Optional.empty();
			int ready = newest.filter((replicaSet) -> replicaSet.getStatus() != null)
				.map((replicaSet) -> Math.min(up, count(replicaSet.getStatus().getAvailableReplicas())))
				.orElse(0);
			total += replicas;
			updated += up;
			available += ready;
			complete &= observed && up == replicas && count(status.getAvailableReplicas()) == replicas
					&& count(status.getReplicas()) == replicas;
			newest.ifPresent((replicaSet) -> failures.addAll(broken(settings, replicaSet)));
			if (observed && pastDeadline(status, annotation(deployment, STARTED_AT))) {
				stalled.add(name);
			}
		}
		Instances instances = new Instances(total, available, failures.size(),
				Math.max(0, updated - available - failures.size()), Math.max(0, total - updated));
		boolean halves = "50%".equals(settings.maxUnavailable());
		Integer batch = halves ? ((available * 2 >= total && total > 0) ? 2 : 1) : null;
		Integer batches = halves ? 2 : null;
		if (!rolledBack.isEmpty()) {
			// After a restart: finish a rollback that was cut short, then report it.
			try {
				rollBack(request, rolledBack.get(0));
			}
			catch (NoEarlierRevision ex) {
				return new RolloutStatus(State.FAILED, instances, batch, batches, failures, ex.getMessage());
			}
			return new RolloutStatus(State.ROLLED_BACK, instances, batch, batches, failures,
					String.join("; ", rolledBack));
		}
		if (!changedElsewhere.isEmpty()) {
			return new RolloutStatus(State.FAILED, instances, batch, batches, List.of(),
					String.join("; ", changedElsewhere) + " during this rollout; StoP Bob stopped following it");
		}
		if (!failures.isEmpty() || !stalled.isEmpty()) {
			if (failures.isEmpty()) {
				for (String name : stalled) {
					newReplicaSet(settings, deployment(settings, name))
						.ifPresent((replicaSet) -> failures.addAll(notReady(settings, replicaSet)));
				}
			}
			String why = stalled.isEmpty() ? "pods of the new ReplicaSet cannot run"
					: "the progress deadline of " + String.join(", ", stalled) + " passed";
			try {
				return new RolloutStatus(State.ROLLED_BACK, instances, batch, batches, failures,
						rollBack(request, why));
			}
			catch (NoEarlierRevision ex) {
				return new RolloutStatus(State.FAILED, instances, batch, batches, failures, ex.getMessage());
			}
		}
		return new RolloutStatus(complete ? State.SUCCEEDED : State.IN_PROGRESS, instances, batch, batches, List.of(),
				null);
	}

	/**
	 * Watches each Deployment, and the ReplicaSets and pods its selector matches: any
	 * change asks for a poll at once. A watch the server closes is not reopened; the
	 * polls go on.
	 */
	@Override
	public AutoCloseable watch(RolloutRequest request, String deploymentId, Runnable changed) {
		Rollout.Kubernetes settings = settings(request);
		List<Watch> watches = new ArrayList<>();
		try {
			for (String name : settings.deployments()) {
				var selector = deployment(settings, name).getSpec().getSelector();
				watches.add(resource(settings, name).watch(new Changes<>(changed)));
				watches.add(this.client.apps()
					.replicaSets()
					.inNamespace(settings.namespace())
					.withLabelSelector(selector)
					.watch(new Changes<>(changed)));
				watches.add(this.client.pods()
					.inNamespace(settings.namespace())
					.withLabelSelector(selector)
					.watch(new Changes<>(changed)));
			}
		}
		catch (RuntimeException ex) {
			// No watch (RBAC without watch, a proxy that drops it): polling alone will
			// do.
			log.warn("deploy {}: cannot watch {} ({}); polling only", request.deployId(), deploymentId,
					ex.getMessage());
		}
		return () -> watches.forEach(Watch::close);
	}

	/** A stop request: the fleet goes back to what it ran before this deploy. */
	@Override
	public void stop(RolloutRequest request, String deploymentId) {
		rollBack(request, "the deploy was stopped");
	}

	/**
	 * Puts each Deployment this deploy changed back on the pod template it ran before,
	 * marked rolled back (a restart that finds the mark finishes the rest). Every target
	 * ReplicaSet is found before any Deployment is changed; Deployments another deploy
	 * has since taken over are left alone.
	 */
	private String rollBack(RolloutRequest request, String why) {
		Rollout.Kubernetes settings = settings(request);
		Map<String, ReplicaSet> targets = new LinkedHashMap<>();
		List<String> missing = new ArrayList<>();
		for (String name : settings.deployments()) {
			Deployment deployment = deployment(settings, name);
			if (!request.deployId().equals(annotation(deployment, DEPLOY_ID))
					|| annotation(deployment, ROLLED_BACK) != null) {
				continue;
			}
			String fromReplicaSet = annotation(deployment, FROM_REPLICA_SET);
			String fromRevision = annotation(deployment, FROM_REVISION);
			List<ReplicaSet> owned = replicaSets(settings, deployment);
			owned.stream()
				.filter((replicaSet) -> replicaSet.getMetadata().getName().equals(fromReplicaSet))
				.findFirst()
				.or(() -> owned.stream()
					.filter((replicaSet) -> Objects.equals(annotation(replicaSet, REVISION), fromRevision))
					.findFirst())
				.ifPresentOrElse((replicaSet) -> targets.put(name, replicaSet),
						() -> missing.add(describe(settings, name) + " (revision " + fromRevision + ")"));
		}
		if (!missing.isEmpty()) {
			throw new NoEarlierRevision(why + "; nothing was rolled back: no ReplicaSet that ran before this deploy"
					+ " is left for " + String.join(", ", missing) + ". Put it right by hand.");
		}
		List<String> done = new ArrayList<>();
		for (Map.Entry<String, ReplicaSet> target : targets.entrySet()) {
			String name = target.getKey();
			PodTemplateSpec template = withoutHash(target.getValue().getSpec().getTemplate());
			String to = "revision " + annotation(target.getValue(), REVISION) + " ("
					+ image(template, settings.container()) + ")";
			call("roll back deployment " + name,
					() -> resource(settings, name).edit((current) -> new DeploymentBuilder(current).editMetadata()
						.addToAnnotations(ROLLED_BACK, why + "; rolled back to " + to)
						.endMetadata()
						.editSpec()
						.withTemplate(template)
						.endSpec()
						.build()));
			done.add(name + " to " + to);
		}
		return why + (done.isEmpty() ? "" : "; rolled back " + String.join(", ", done));
	}

	/**
	 * The progress deadline passed for this rollout: a condition older than its start
	 * belongs to an earlier one.
	 */
	private static boolean pastDeadline(DeploymentStatus status, String startedAt) {
		if (status.getConditions() == null) {
			return false;
		}
		for (DeploymentCondition condition : status.getConditions()) {
			if ("Progressing".equals(condition.getType()) && "ProgressDeadlineExceeded".equals(condition.getReason())) {
				try {
					return startedAt == null || condition.getLastUpdateTime() == null
							|| !Instant.parse(condition.getLastUpdateTime()).isBefore(Instant.parse(startedAt));
				}
				catch (DateTimeParseException ex) {
					return true;
				}
			}
		}
		return false;
	}

	/** Pods of the ReplicaSet whose containers wait for a reason that will not pass. */
	private List<InstanceFailure> broken(Rollout.Kubernetes settings, ReplicaSet replicaSet) {
		List<InstanceFailure> failures = new ArrayList<>();
		for (Pod pod : pods(settings, replicaSet)) {
			for (ContainerStatus container : containers(pod)) {
				var waiting = (container.getState() != null) ? container.getState().getWaiting() : null;
				if (waiting != null && waiting.getReason() != null && BROKEN.contains(waiting.getReason())) {
					String message = "container " + container.getName() + " restarted "
							+ count(container.getRestartCount()) + " times"
							+ ((waiting.getMessage() != null) ? ": " + waiting.getMessage() : "");
					failures.add(new InstanceFailure(pod.getMetadata().getName(), waiting.getReason(), message));
					break;
				}
			}
		}
		return failures;
	}

	/** Pods of the ReplicaSet that never became ready: their readiness probe failed. */
	private List<InstanceFailure> notReady(Rollout.Kubernetes settings, ReplicaSet replicaSet) {
		List<InstanceFailure> failures = new ArrayList<>();
		for (Pod pod : pods(settings, replicaSet)) {
			containers(pod).stream()
				.filter((container) -> !Boolean.TRUE.equals(container.getReady()))
				.findFirst()
				.ifPresent((container) -> failures.add(new InstanceFailure(pod.getMetadata().getName(),
						"its readiness probe", "container " + container.getName() + " not ready")));
		}
		return failures;
	}

	private Optional<ReplicaSet> newReplicaSet(Rollout.Kubernetes settings, Deployment deployment) {
		String revision = annotation(deployment, REVISION);
		return replicaSets(settings, deployment).stream()
			.filter((replicaSet) -> Objects.equals(annotation(replicaSet, REVISION), revision))
			.findFirst();
	}

	private List<ReplicaSet> replicaSets(Rollout.Kubernetes settings, Deployment deployment) {
		return call("list replicasets",
				() -> this.client.apps()
					.replicaSets()
					.inNamespace(settings.namespace())
					.withLabelSelector(deployment.getSpec().getSelector())
					.list()
					.getItems())
			.stream()
			.filter((replicaSet) -> replicaSet.hasOwnerReferenceFor(deployment))
			.sorted(Comparator.comparing((ReplicaSet replicaSet) -> replicaSet.getMetadata().getName()))
			.toList();
	}

	private List<Pod> pods(Rollout.Kubernetes settings, ReplicaSet replicaSet) {
		return call("list pods",
				() -> this.client.pods()
					.inNamespace(settings.namespace())
					.withLabelSelector(replicaSet.getSpec().getSelector())
					.list()
					.getItems())
			.stream()
			.filter((pod) -> pod.hasOwnerReferenceFor(replicaSet))
			.sorted(Comparator.comparing((Pod pod) -> pod.getMetadata().getName()))
			.toList();
	}

	private static List<ContainerStatus> containers(Pod pod) {
		return (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null)
				? pod.getStatus().getContainerStatuses() : List.of();
	}

	private Deployment deployment(Rollout.Kubernetes settings, String name) {
		Deployment deployment = call("get deployment " + name, () -> resource(settings, name).get());
		if (deployment == null) {
			throw new IllegalStateException(describe(settings, name) + " does not exist in the cluster");
		}
		return deployment;
	}

	private RollableScalableResource<Deployment> resource(Rollout.Kubernetes settings, String name) {
		return this.client.apps().deployments().inNamespace(settings.namespace()).withName(name);
	}

	/** A ReplicaSet's pod template as its Deployment had it. */
	private static PodTemplateSpec withoutHash(PodTemplateSpec template) {
		return new PodTemplateSpecBuilder(template).editMetadata()
			.removeFromLabels(TEMPLATE_HASH)
			.endMetadata()
			.build();
	}

	private static String image(PodTemplateSpec template, String container) {
		return template.getSpec()
			.getContainers()
			.stream()
			.filter((candidate) -> candidate.getName().equals(container))
			.map((candidate) -> candidate.getImage())
			.findFirst()
			.orElse("?");
	}

	/**
	 * {@code 50%} stays a percentage; {@code 1} must reach the API server as a number.
	 */
	static IntOrString intOrPercent(String value) {
		return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
	}

	private static String annotation(HasMetadata resource, String key) {
		Map<String, String> annotations = resource.getMetadata().getAnnotations();
		return (annotations != null) ? annotations.get(key) : null;
	}

	private static int count(Integer value) {
		return (value != null) ? value : 0;
	}

	private static String describe(Rollout.Kubernetes settings, String name) {
		return "Deployment " + settings.namespace() + "/" + name;
	}

	private static String deploymentId(Rollout.Kubernetes settings) {
		return "kubernetes:" + settings.namespace() + "/" + String.join(",", settings.deployments());
	}

	private static Rollout.Kubernetes settings(RolloutRequest request) {
		return request.settings().kubernetes();
	}

	/**
	 * Server errors, throttling, conflicts and lost connections are retried; a refusal
	 * names what RBAC must allow.
	 */
	private <T> T call(String operation, Supplier<T> call) {
		return this.retrying.call("Kubernetes " + operation, () -> {
			try {
				return call.get();
			}
			catch (KubernetesClientException ex) {
				if (ex.getCode() == 0 || ex.getCode() == 409 || ex.getCode() == 429 || ex.getCode() >= 500) {
					throw new Retry(ex.getCode() + ": " + ex.getMessage());
				}
				if (ex.getCode() == 401 || ex.getCode() == 403) {
					throw new IllegalStateException("Kubernetes refused to " + operation + " (" + ex.getCode()
							+ "): rollout-service needs get, list, watch and patch on deployments, and get, list and"
							+ " watch on replicasets and pods (see README)", ex);
				}
				throw ex;
			}
		});
	}

	/** Any event on a watched resource: ask for a poll. */
	private record Changes<T>(Runnable changed) implements Watcher<T> {

		@Override
		public void eventReceived(Action action, T resource) {
			this.changed.run();
		}

		@Override
		public void onClose(WatcherException cause) {
		}

	}

	/** No ReplicaSet that ran before this deploy is left to go back to. */
	static final class NoEarlierRevision extends IllegalStateException {

		NoEarlierRevision(String message) {
			super(message);
		}

	}

}
