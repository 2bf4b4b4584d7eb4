package io.stopbob.rollout.rolling;

import io.stopbob.ledger.Target;
import io.stopbob.platform.catalog.Rollout;

/**
 * @param repository the app's repository (GitHub revision, or the local repository's
 * path)
 * @param settings the environment's rollout settings from the catalog
 */
public record RolloutRequest(String deployId, Target target, String sha, String tag, String repository,
		Rollout settings) {
}
