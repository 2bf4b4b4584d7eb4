package io.stopbob.rollout.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param pollInterval how often a running rollout is asked for its state (jittered by up
 * to a fifth, doubled after an error)
 */
@ConfigurationProperties("stop.rollout")
public record RolloutProperties(@DefaultValue("5s") Duration pollInterval) {
}
