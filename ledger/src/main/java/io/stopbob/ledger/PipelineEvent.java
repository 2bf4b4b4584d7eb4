package io.stopbob.ledger;

import java.time.Instant;
import java.util.List;

/**
 * The five pipeline events as the domain sees them, free of Avro. Each carries its
 * {@link Meta}; {@link #stage()} is the stage the event moves its deploy to.
 */
public sealed interface PipelineEvent {

	Meta meta();

	Stage stage();

	default String deployId() {
		return meta().deployId();
	}

	/** Who wrote what, when, about which deploy of which target. */
	record Meta(String eventId, String deployId, Target target, Instant occurredAt, String producer) {
	}

	/** A person on Slack (or an automation with a Slack identity). */
	record Person(String id, String name) {
	}

	/**
	 * The Slack thread a deploy reports into: the channel and the ts of its first
	 * message.
	 */
	record ThreadRef(String channel, String ts) {
	}

	enum Kind {

		DEPLOY, ROLLBACK

	}

	enum Outcome {

		SUCCEEDED, FAILED, ROLLED_BACK, REJECTED

	}

	/**
	 * A deploy asked for inside a freeze window, with the reason its requester typed.
	 */
	record FreezeOverride(String window, String reason) {
	}

	/**
	 * @param override set when the request overrode a freeze window
	 * @param approvedBy the second person, when the environment needs one
	 */
	record Requested(Meta meta, String sha, Kind kind, Person requestedBy, ThreadRef thread, String reason,
			FreezeOverride override, Person approvedBy) implements PipelineEvent {

		public Requested(Meta meta, String sha, Kind kind, Person requestedBy, ThreadRef thread, String reason) {
			this(meta, sha, kind, requestedBy, thread, reason, null, null);
		}

		@Override
		public Stage stage() {
			return Stage.REQUESTED;
		}

	}

	/**
	 * @param commitTime when the SHA was committed (null from taggers before it was
	 * recorded)
	 */
	record Tagged(Meta meta, String sha, String tag, String releaseUrl, String previousTag, String previousSha,
			Kind kind, Instant commitTime) implements PipelineEvent {

		@Override
		public Stage stage() {
			return Stage.TAGGED;
		}

	}

	record Built(Meta meta, String sha, String tag, String ciProvider, List<String> checks, String buildUrl,
			boolean reused) implements PipelineEvent {

		@Override
		public Stage stage() {
			return Stage.BUILT;
		}

	}

	record Instances(int total, int succeeded, int failed, int inProgress, int pending) {
	}

	record InstanceFailure(String instanceId, String lifecycleEvent, String message) {
	}

	record Progressed(Meta meta, String backendDeploymentId, String state, Instances instances, Integer batch,
			Integer batches, List<InstanceFailure> failures, String message) implements PipelineEvent {

		@Override
		public Stage stage() {
			return Stage.ROLLING_OUT;
		}

	}

	/**
	 * @param endedIn the stage the deploy ended in: {@code REQUEST}, {@code TAG},
	 * {@code BUILD} or {@code ROLLOUT}
	 */
	record Finished(Meta meta, Outcome outcome, String endedIn, String reason, String sha,
			Long durationMillis) implements PipelineEvent {

		@Override
		public Stage stage() {
			return Stage.FINISHED;
		}

	}

}
