package io.stopbob.platform.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Asks the broker for its cluster id and nodes within a short timeout: UP only when Kafka
 * really answers. Part of the overall health, not of liveness or readiness: a service
 * whose broker is away waits for it (its work resumes when it is back) and still answers
 * people, and restarting it would not bring the broker back.
 */
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

	private final Map<String, Object> adminConfig;

	private final Duration timeout;

	private AdminClient admin;

	public KafkaHealthIndicator(KafkaAdmin kafkaAdmin, Duration timeout) {
		this.adminConfig = new HashMap<>(kafkaAdmin.getConfigurationProperties());
		this.adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		this.adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		this.adminConfig.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "stop-health");
		this.timeout = timeout;
	}

	@Override
	public Health health() {
		try {
			DescribeClusterResult cluster = admin()
				.describeCluster(new DescribeClusterOptions().timeoutMs((int) this.timeout.toMillis()));
			long wait = this.timeout.toMillis();
			String clusterId = cluster.clusterId().get(wait, TimeUnit.MILLISECONDS);
			int nodes = cluster.nodes().get(wait, TimeUnit.MILLISECONDS).size();
			return Health.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes).build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.down(ex).build();
		}
		catch (Exception ex) {
			return Health.down()
				.withDetail("bootstrapServers", this.adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG))
				.withDetail("error", ex.getClass().getSimpleName() + ": " + ex.getMessage())
				.build();
		}
	}

	private synchronized AdminClient admin() {
		if (this.admin == null) {
			this.admin = AdminClient.create(this.adminConfig);
		}
		return this.admin;
	}

	@Override
	public synchronized void destroy() {
		if (this.admin != null) {
			this.admin.close(Duration.ofSeconds(1));
		}
	}

}
