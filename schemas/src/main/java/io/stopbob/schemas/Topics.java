package io.stopbob.schemas;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.DeployRequested;
import io.stopbob.events.RolloutProgress;
import io.stopbob.events.TagCreated;
import io.stopbob.events.TargetOperation;
import io.stopbob.events.UserPreference;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topics of the bus, the pipeline first in its order, and the one event type each
 * carries. Every topic is keyed by {@link TargetKey}, except user preferences (by user
 * id).
 */
public final class Topics {

	public static final String DEPLOY_REQUESTED = "deploy-requested";

	public static final String TAG_CREATED = "tag-created";

	public static final String BUILD_PASSED = "build-passed";

	public static final String ROLLOUT_PROGRESS = "rollout-progress";

	public static final String DEPLOY_FINISHED = "deploy-finished";

	/**
	 * Locks, queues and approvals: what a target may do next. Keyed by target like the
	 * pipeline, so a target's operations sit on the same partition as its deploys.
	 */
	public static final String TARGET_OPERATIONS = "target-operations";

	/** People's settings, keyed by Slack user id. */
	public static final String USER_PREFERENCES = "user-preferences";

	/**
	 * Signatures of the Slack requests slack-ingress accepted, keyed by signature, kept
	 * ten minutes: how every instance refuses a replayed request. Not an event topic.
	 */
	public static final String SLACK_REQUESTS = "slack-requests";

	/** Suffix of the dead-letter topic of every pipeline topic. */
	public static final String DLT_SUFFIX = ".DLT";

	private static final Map<String, Class<? extends SpecificRecord>> EVENT_TYPES = Map.of(DEPLOY_REQUESTED,
			DeployRequested.class, TAG_CREATED, TagCreated.class, BUILD_PASSED, BuildPassed.class, ROLLOUT_PROGRESS,
			RolloutProgress.class, DEPLOY_FINISHED, DeployFinished.class, TARGET_OPERATIONS, TargetOperation.class,
			USER_PREFERENCES, UserPreference.class);

	private static final List<String> PIPELINE = List.of(DEPLOY_REQUESTED, TAG_CREATED, BUILD_PASSED, ROLLOUT_PROGRESS,
			DEPLOY_FINISHED);

	private static final List<String> ALL = List.of(DEPLOY_REQUESTED, TAG_CREATED, BUILD_PASSED, ROLLOUT_PROGRESS,
			DEPLOY_FINISHED, TARGET_OPERATIONS, USER_PREFERENCES);

	private Topics() {
	}

	/** The five pipeline topics in pipeline order. */
	public static List<String> pipeline() {
		return PIPELINE;
	}

	/** Every topic of the bus: the pipeline, then operations and preferences. */
	public static List<String> all() {
		return ALL;
	}

	public static String deadLetter(String topic) {
		return topic + DLT_SUFFIX;
	}

	/**
	 * The event type written to a pipeline topic; empty for any other topic (e.g. a DLT).
	 */
	public static Optional<Class<? extends SpecificRecord>> eventType(String topic) {
		return Optional.ofNullable(EVENT_TYPES.get(topic));
	}

	/** The pipeline topic that carries events of the given type. */
	public static String topicOf(Class<? extends SpecificRecord> eventType) {
		return EVENT_TYPES.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(eventType))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(eventType.getName() + " is not an event of the bus"));
	}

}
