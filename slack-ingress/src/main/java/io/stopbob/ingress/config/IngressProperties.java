package io.stopbob.ingress.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API and the dashboard is the edge's ({@code stop.edge}).
 *
 * @param sweepInterval how often approvals are checked for expiry and queues for a free
 * target
 * @param threadsHeld Slack threads whose told messages are held in memory: one forgotten
 * costs a look in Slack before its next post, never a second message
 */
@ConfigurationProperties("stop.ingress")
public record IngressProperties(@DefaultValue("1s") Duration sweepInterval, @DefaultValue("10000") int threadsHeld) {
}
