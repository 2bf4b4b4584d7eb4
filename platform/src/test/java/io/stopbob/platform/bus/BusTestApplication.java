package io.stopbob.platform.bus;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.stopbob.events.DeployRequested;
import io.stopbob.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.KafkaListener;

/** A minimal service on the shared bus: records what it consumes, fails on request. */
@SpringBootApplication
class BusTestApplication {

	static final String FAILING_DEPLOY = "d-always-fails";

	final BlockingQueue<ConsumerRecord<String, DeployRequested>> consumed = new LinkedBlockingQueue<>();

	final AtomicInteger failingAttempts = new AtomicInteger();

	@KafkaListener(topics = Topics.DEPLOY_REQUESTED, groupId = "bus-test")
	void on(ConsumerRecord<String, DeployRequested> record) {
		if (FAILING_DEPLOY.equals(record.value().getMeta().getDeployId())) {
			this.failingAttempts.incrementAndGet();
			throw new IllegalStateException("GitHub said 500 for " + FAILING_DEPLOY);
		}
		this.consumed.add(record);
	}

}
