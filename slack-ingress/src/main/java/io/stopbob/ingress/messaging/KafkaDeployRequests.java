package io.stopbob.ingress.messaging;

import io.stopbob.events.DeployKind;
import io.stopbob.events.DeployRequested;
import io.stopbob.events.EventMeta;
import io.stopbob.events.SlackUser;
import io.stopbob.ingress.deploy.DeployRequests;
import io.stopbob.ledger.PipelineEvent.Requested;
import io.stopbob.platform.bus.EventPublisher;

import org.springframework.stereotype.Component;

/**
 * Publishes accepted requests as {@code DeployRequested}, waiting for the broker's ack.
 */
@Component
class KafkaDeployRequests implements DeployRequests {

	private final EventPublisher publisher;

	KafkaDeployRequests(EventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void publish(Requested requested) {
		var meta = requested.meta();
		this.publisher.publish(DeployRequested.newBuilder()
			.setMeta(EventMeta.newBuilder()
				.setEventId(meta.eventId())
				.setDeployId(meta.deployId())
				.setApp(meta.target().app())
				.setEnvironment(meta.target().environment())
				.setOccurredAt(meta.occurredAt())
				.setProducer(meta.producer())
				.build())
			.setSha(requested.sha())
			.setKind(DeployKind.valueOf(requested.kind().name()))
			.setRequestedBy(SlackUser.newBuilder()
				.setId(requested.requestedBy().id())
				.setName(requested.requestedBy().name())
				.build())
			.setSlackChannel((requested.thread() != null) ? requested.thread().channel() : null)
			.setSlackThreadTs((requested.thread() != null) ? requested.thread().ts() : null)
			.setReason(requested.reason())
			.build());
	}

}
