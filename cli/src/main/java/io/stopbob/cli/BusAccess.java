package io.stopbob.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.stopbob.platform.bus.Snapshots;
import io.stopbob.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on a secured bus, set as the broker's admin: each service writes only
 * the topics whose events it makes (and the dead-letter topics of what it reads), reads
 * the topics it follows in its own consumer groups; the operator (the command line's
 * replay and dead-letter retry) may write every topic. Topics are made here, before any
 * service starts, so no service needs the right to create one.
 */
public final class BusAccess {

	public static final String OPERATOR = "operator";

	/**
	 * The topics each service's events go to (release-tagger ends the deploys it rejects
	 * or whose CI fails).
	 */
	static final Map<String, List<String>> WRITES = Map.of("slack-ingress",
			List.of(Topics.DEPLOY_REQUESTED, Topics.TARGET_OPERATIONS, Topics.USER_PREFERENCES, Topics.SLACK_REQUESTS),
			"release-tagger", List.of(Topics.TAG_CREATED, Topics.BUILD_PASSED, Topics.DEPLOY_FINISHED),
			"rollout-service", List.of(Topics.ROLLOUT_PROGRESS, Topics.DEPLOY_FINISHED), "changelog-poster", List.of());

	/**
	 * The topics each service follows: it reads them, and may dead-letter their records
	 * (to {@code <topic>.DLT}), nothing else (release-tagger decides requests against the
	 * locks and approvals of target-operations).
	 */
	static final Map<String, List<String>> READS = Map.of("slack-ingress", Topics.all(), "release-tagger",
			Stream.concat(Topics.pipeline().stream(), Stream.of(Topics.TARGET_OPERATIONS)).toList(), "rollout-service",
			Topics.pipeline(), "changelog-poster", List.of(Topics.TAG_CREATED));

	private BusAccess() {
	}

	public static void grant(Admin admin, int partitions, Optional<Short> replicas) throws Exception {
		createTopics(admin, partitions, replicas);
		List<AclBinding> acls = new ArrayList<>();
		WRITES.forEach((service, writes) -> {
			String principal = "User:" + service;
			writes.forEach((topic) -> acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.WRITE)));
			for (String topic : READS.get(service)) {
				acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.READ));
				acls.add(allow(principal, ResourceType.TOPIC, Topics.deadLetter(topic), AclOperation.WRITE));
			}
			// Its own snapshots, which no other service reads.
			acls.add(allow(principal, ResourceType.TOPIC, Snapshots.topic(service), AclOperation.WRITE));
			acls.add(allow(principal, ResourceType.TOPIC, Snapshots.topic(service), AclOperation.READ));
			acls.add(allow(principal, ResourceType.TOPIC, "*", AclOperation.DESCRIBE));
			acls.add(allow(principal, ResourceType.TOPIC, "*", AclOperation.DESCRIBE_CONFIGS));
			acls.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, service, PatternType.PREFIXED),
					new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW)));
		});
		acls.add(allow("User:slack-ingress", ResourceType.TOPIC, Topics.SLACK_REQUESTS, AclOperation.READ));
		String operator = "User:" + OPERATOR;
		for (String topic : all()) {
			acls.add(allow(operator, ResourceType.TOPIC, topic, AclOperation.WRITE));
			acls.add(allow(operator, ResourceType.TOPIC, topic, AclOperation.READ));
		}
		acls.add(allow(operator, ResourceType.TOPIC, "*", AclOperation.DESCRIBE));
		admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
	}

	private static void createTopics(Admin admin, int partitions, Optional<Short> replicas) throws Exception {
		Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
		List<NewTopic> topics = new ArrayList<>();
		for (String topic : all()) {
			if (existing.contains(topic)) {
				continue;
			}
			NewTopic created = new NewTopic(topic, Optional.of(partitions), replicas);
			if (Topics.USER_PREFERENCES.equals(topic)) {
				created.configs(Map.of("cleanup.policy", "compact"));
			}
			else if (Topics.SLACK_REQUESTS.equals(topic)) {
				created.configs(Map.of("retention.ms", "900000"));
			}
			else if (Topics.all().contains(topic)) {
				created.configs(Map.of("retention.ms", "-1"));
			}
			else if (topic.endsWith(Snapshots.topic(""))) {
				created.configs(Snapshots.topicConfigs());
			}
			topics.add(created);
		}
		if (!topics.isEmpty()) {
			admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
		}
	}

	private static List<String> all() {
		List<String> topics = new ArrayList<>(Topics.all());
		Topics.all().forEach((topic) -> topics.add(Topics.deadLetter(topic)));
		topics.add(Topics.SLACK_REQUESTS);
		WRITES.keySet().forEach((service) -> topics.add(Snapshots.topic(service)));
		return topics;
	}

	private static AclBinding allow(String principal, ResourceType type, String name, AclOperation operation) {
		return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
				new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
	}

}
