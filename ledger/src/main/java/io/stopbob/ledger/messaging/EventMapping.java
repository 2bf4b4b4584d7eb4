package io.stopbob.ledger.messaging;

import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployKind;
import io.stopbob.events.DeployOutcome;
import io.stopbob.events.DeployStage;
import io.stopbob.events.InstanceCounts;
import io.stopbob.events.RolloutState;
import io.stopbob.events.SlackUser;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployRequested;
import io.stopbob.events.EventMeta;
import io.stopbob.events.RolloutProgress;
import io.stopbob.events.TagCreated;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Built;
import io.stopbob.ledger.PipelineEvent.Finished;
import io.stopbob.ledger.PipelineEvent.FreezeOverride;
import io.stopbob.ledger.PipelineEvent.InstanceFailure;
import io.stopbob.ledger.PipelineEvent.Instances;
import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.PipelineEvent.Outcome;
import io.stopbob.ledger.PipelineEvent.Person;
import io.stopbob.ledger.PipelineEvent.Progressed;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.ledger.PipelineEvent.ThreadRef;
import io.stopbob.ledger.Target;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro events from the bus to the domain's {@link PipelineEvent}s: the one place that
 * knows both.
 */
public final class EventMapping {

	private EventMapping() {
	}

	public static PipelineEvent toDomain(SpecificRecord event) {
		if (event instanceof DeployRequested requested) {
			ThreadRef thread = (requested.getSlackChannel() != null && requested.getSlackThreadTs() != null)
					? new ThreadRef(requested.getSlackChannel(), requested.getSlackThreadTs()) : null;
			return new Requested(meta(requested.getMeta()), requested.getSha(),
					Kind.valueOf(requested.getKind().name()), person(requested.getRequestedBy()), thread,
					requested.getReason(),
					(requested.getFreezeOverride() != null) ? new FreezeOverride(
							requested.getFreezeOverride().getWindow(), requested.getFreezeOverride().getReason())
							: null,
					(requested.getApprovedBy() != null) ? person(requested.getApprovedBy()) : null);
		}
		if (event instanceof TagCreated tagged) {
			return new Tagged(meta(tagged.getMeta()), tagged.getSha(), tagged.getTag(), tagged.getReleaseUrl(),
					tagged.getPreviousTag(), tagged.getPreviousSha(), Kind.valueOf(tagged.getKind().name()),
					tagged.getCommitTime());
		}
		if (event instanceof BuildPassed built) {
			return new Built(meta(built.getMeta()), built.getSha(), built.getTag(), built.getCiProvider(),
					java.util.List.copyOf(built.getChecks()), built.getBuildUrl(), built.getReused());
		}
		if (event instanceof RolloutProgress progress) {
			var counts = progress.getInstances();
			return new Progressed(meta(progress.getMeta()), progress.getBackendDeploymentId(),
					progress.getState().name(), new Instances(counts.getTotal(), counts.getSucceeded(),
							counts.getFailed(), counts.getInProgress(), counts.getPending()),
					progress.getCurrentBatch(), progress.getBatchCount(),
					progress.getFailures()
						.stream()
						.map((failure) -> new InstanceFailure(failure.getInstanceId(), failure.getLifecycleEvent(),
								failure.getMessage()))
						.toList(),
					progress.getMessage());
		}
		if (event instanceof DeployFinished finished) {
			return new Finished(meta(finished.getMeta()), Outcome.valueOf(finished.getOutcome().name()),
					finished.getStage().name(), finished.getReason(), finished.getSha(), finished.getDurationMillis());
		}
		throw new IllegalArgumentException(event.getSchema().getFullName() + " is not a pipeline event");
	}

	/** The domain event as the Avro record its topic carries. */
	public static SpecificRecord toAvro(PipelineEvent event) {
		EventMeta meta = avroMeta(event.meta());
		if (event instanceof Requested requested) {
			return DeployRequested.newBuilder()
				.setMeta(meta)
				.setSha(requested.sha())
				.setKind(DeployKind.valueOf(requested.kind().name()))
				.setRequestedBy(slackUser(requested.requestedBy()))
				.setSlackChannel((requested.thread() != null) ? requested.thread().channel() : null)
				.setSlackThreadTs((requested.thread() != null) ? requested.thread().ts() : null)
				.setReason(requested.reason())
				.setFreezeOverride((requested.override() != null) ? io.stopbob.events.FreezeOverride.newBuilder()
					.setWindow(requested.override().window())
					.setReason(requested.override().reason())
					.build() : null)
				.setApprovedBy((requested.approvedBy() != null) ? slackUser(requested.approvedBy()) : null)
				.build();
		}
		if (event instanceof Tagged tagged) {
			return TagCreated.newBuilder()
				.setMeta(meta)
				.setSha(tagged.sha())
				.setTag(tagged.tag())
				.setReleaseUrl(tagged.releaseUrl())
				.setPreviousTag(tagged.previousTag())
				.setPreviousSha(tagged.previousSha())
				.setKind(DeployKind.valueOf(tagged.kind().name()))
				.setCommitTime(tagged.commitTime())
				.build();
		}
		if (event instanceof Built built) {
			return BuildPassed.newBuilder()
				.setMeta(meta)
				.setSha(built.sha())
				.setTag(built.tag())
				.setCiProvider(built.ciProvider())
				.setChecks(built.checks())
				.setBuildUrl(built.buildUrl())
				.setReused(built.reused())
				.build();
		}
		if (event instanceof Progressed progress) {
			return RolloutProgress.newBuilder()
				.setMeta(meta)
				.setBackendDeploymentId(progress.backendDeploymentId())
				.setState(RolloutState.valueOf(progress.state()))
				.setInstances(InstanceCounts.newBuilder()
					.setTotal(progress.instances().total())
					.setSucceeded(progress.instances().succeeded())
					.setFailed(progress.instances().failed())
					.setInProgress(progress.instances().inProgress())
					.setPending(progress.instances().pending())
					.build())
				.setCurrentBatch(progress.batch())
				.setBatchCount(progress.batches())
				.setFailures(progress.failures()
					.stream()
					.map((failure) -> io.stopbob.events.InstanceFailure.newBuilder()
						.setInstanceId(failure.instanceId())
						.setLifecycleEvent(failure.lifecycleEvent())
						.setMessage(failure.message())
						.build())
					.toList())
				.setMessage(progress.message())
				.build();
		}
		Finished finished = (Finished) event;
		return DeployFinished.newBuilder()
			.setMeta(meta)
			.setOutcome(DeployOutcome.valueOf(finished.outcome().name()))
			.setStage(DeployStage.valueOf(finished.endedIn()))
			.setReason(finished.reason())
			.setSha(finished.sha())
			.setRequestedAt(null)
			.setDurationMillis(finished.durationMillis())
			.build();
	}

	static EventMeta avroMeta(Meta meta) {
		return EventMeta.newBuilder()
			.setEventId(meta.eventId())
			.setDeployId(meta.deployId())
			.setApp(meta.target().app())
			.setEnvironment(meta.target().environment())
			.setOccurredAt(meta.occurredAt())
			.setProducer(meta.producer())
			.build();
	}

	static Meta meta(EventMeta meta) {
		return new Meta(meta.getEventId(), meta.getDeployId(), new Target(meta.getApp(), meta.getEnvironment()),
				meta.getOccurredAt(), meta.getProducer());
	}

	static Person person(SlackUser user) {
		return new Person(user.getId(), user.getName());
	}

	static SlackUser slackUser(Person person) {
		return SlackUser.newBuilder().setId(person.id()).setName(person.name()).build();
	}

}
