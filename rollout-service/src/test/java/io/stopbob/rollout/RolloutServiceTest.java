package io.stopbob.rollout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.stopbob.events.BuildPassed;
import io.stopbob.events.DeployFinished;
import io.stopbob.events.RolloutProgress;
import io.stopbob.platform.bus.EventPublisher;
import io.stopbob.rollout.local.LocalFleet;
import io.stopbob.schemas.EventMother;
import io.stopbob.schemas.Events;
import io.stopbob.schemas.Topics;
import io.stopbob.testkit.ServiceTest;
import io.stopbob.testkit.TopicProbe;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * rollout-service whole with the local fleet: real HTTP instances on loopback, a real git
 * repository whose last commit fails its health check. The module's test classes extend
 * this, so they share one Spring context.
 */
@ServiceTest
abstract class RolloutServiceTest {

	/** AWS CodeDeploy as its JSON 1.1 API answers. */
	protected static final com.github.tomakehurst.wiremock.WireMockServer codedeploy = new com.github.tomakehurst.wiremock.WireMockServer(
			com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig()
				.dynamicPort()
				.bindAddress("127.0.0.1"));

	/** A Kubernetes API server that stores what it is sent (fabric8's CRUD mock). */
	protected static final KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(),
			new MockWebServer(), new HashMap<>(), new KubernetesMixedDispatcher(new HashMap<>()), true);

	protected static final Path WORK;

	protected static final String GOOD;

	protected static final String BAD;

	static {
		try {
			WORK = Files.createTempDirectory("rollout-test");
			Path repo = WORK.resolve("demo");
			try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
				PersonIdent bob = new PersonIdent("Bob", "bob@example.com");
				Files.writeString(repo.resolve("VERSION"), "1");
				git.add().addFilepattern(".").call();
				GOOD = git.commit().setMessage("Good").setAuthor(bob).setCommitter(bob).call().name();
				Files.writeString(repo.resolve(".stop-health"), "fail\n");
				git.add().addFilepattern(".").call();
				BAD = git.commit().setMessage("Fails its health check").setAuthor(bob).setCommitter(bob).call().name();
			}
			Files.writeString(WORK.resolve("catalog.yml"), """
					apps:
					  demo:
					    repository: %s
					    deploy-channel: C0DEPLOYS
					    changelog-channel: C0CHANGES
					    environments:
					      staging:
					        tag-prefix: staging-
					        rollout:
					          backend: local
					          local: { instances: 4, health-timeout: 1s }
					      production:
					        tag-prefix: production-
					        rollout:
					          backend: codedeploy
					          codedeploy:
					            application: demo
					            deployment-group: production
					            alarms: [demo-5xx]
					      cluster:
					        tag-prefix: cluster-
					        rollout:
					          backend: kubernetes
					          kubernetes:
					            namespace: shop
					            deployments: [demo-web]
					            container: web
					            image: registry.example.com/demo:{sha}
					""".formatted(repo));
			System.setProperty("aws.accessKeyId", "AKIDTEST");
			System.setProperty("aws.secretAccessKey", "test-secret");
			codedeploy.start();
			kubernetes.init();
			// The service finds the cluster as fabric8 would find any: here, by system
			// properties.
			System.setProperty("kubernetes.master", kubernetes.url("/"));
			System.setProperty("kubernetes.trust.certificates", "true");
			System.setProperty("kubernetes.auth.tryKubeConfig", "false");
			System.setProperty("kubernetes.auth.tryServiceAccount", "false");
			System.setProperty("kubernetes.http2.disable", "true");
		}
		catch (Exception ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@Autowired
	protected EventPublisher publisher;

	@Autowired
	protected EmbeddedKafkaBroker broker;

	@Autowired
	protected LocalFleet fleet;

	@DynamicPropertySource
	static void localFleet(DynamicPropertyRegistry registry) {
		registry.add("stop.catalog.location", () -> "file:" + WORK.resolve("catalog.yml"));
		registry.add("stop.rollout.poll-interval", () -> "100ms");
		registry.add("stop.rollout.codedeploy.region", () -> "us-east-1");
		registry.add("stop.rollout.codedeploy.endpoint", codedeploy::baseUrl);
		registry.add("stop.rollout.codedeploy.backoff", () -> "20ms");
	}

	protected TopicProbe probe() {
		return TopicProbe.on(this.broker.getBrokersAsString(), Topics.ROLLOUT_PROGRESS, Topics.DEPLOY_FINISHED);
	}

	protected static DeployFinished finished(TopicProbe events, String deployId) {
		return (DeployFinished) events
			.await(1,
					(record) -> TopicProbe.decodes(record) && TopicProbe.event(record) instanceof DeployFinished done
							&& done.getMeta().getDeployId().equals(deployId),
					Duration.ofSeconds(40))
			.stream()
			.map(TopicProbe::event)
			.findFirst()
			.orElseThrow();
	}

	protected static List<RolloutProgress> progress(TopicProbe events, String deployId) {
		return events.drain(Duration.ZERO)
			.stream()
			.filter(TopicProbe::decodes)
			.map(TopicProbe::event)
			.filter((event) -> event instanceof RolloutProgress && Events.meta(event).getDeployId().equals(deployId))
			.map(RolloutProgress.class::cast)
			.toList();
	}

	/**
	 * What the pipeline writes before a build, a request and a tag of {@code sha}; the
	 * build that follows them, to publish.
	 */
	protected BuildPassed.Builder requestedAndTagged(String deployId, String environment, String sha, String tag) {
		this.publisher.publish(EventMother.deployRequested(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).build())
			.setSha(sha)
			.build());
		this.publisher.publish(EventMother.tagCreated(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).build())
			.setSha(sha)
			.setTag(tag)
			.build());
		return EventMother.buildPassed(deployId)
			.setMeta(EventMother.meta(deployId).setEnvironment(environment).build())
			.setSha(sha)
			.setTag(tag);
	}

	protected static String newDeployId() {
		return "d-test-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
