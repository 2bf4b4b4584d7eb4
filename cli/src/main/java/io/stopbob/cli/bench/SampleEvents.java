package io.stopbob.cli.bench;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.PipelineEvent.Instances;
import io.stopbob.ledger.PipelineEvent.Meta;
import io.stopbob.ledger.Target;

/**
 * A deploy that went well, as its five events (requested, tagged, built, rolled out,
 * finished): what the replay benchmark fills the log with, and what the fault suite sends
 * for an app nobody knows.
 */
public final class SampleEvents {

	private SampleEvents() {
	}

	public static List<PipelineEvent> deploy(String deployId, Target target, String sha, Instant at) {
		String tag = target.environment() + "-" + deployId;
		return List.of(
				new PipelineEvent.Requested(meta(deployId, target, at, "slack-ingress"), sha, PipelineEvent.Kind.DEPLOY,
						new PipelineEvent.Person("U0BENCH", "bench"),
						new PipelineEvent.ThreadRef("C0DEPLOYS", "1764000000.000100"), null),
				new PipelineEvent.Tagged(meta(deployId, target, at.plusSeconds(1), "release-tagger"), sha, tag,
						"https://github.com/bench/" + target.app() + "/releases/tag/" + tag, null, null,
						PipelineEvent.Kind.DEPLOY, at.minusSeconds(600)),
				new PipelineEvent.Built(meta(deployId, target, at.plusSeconds(2), "release-tagger"), sha, tag,
						"github-checks", List.of("build"), "https://github.com/bench/runs/4", false),
				new PipelineEvent.Progressed(meta(deployId, target, at.plusSeconds(3), "rollout-service"),
						"d-ABCDEFGHI", "IN_PROGRESS", new Instances(4, 2, 0, 2, 0), 1, 2, List.of(), "half the fleet"),
				new PipelineEvent.Finished(meta(deployId, target, at.plusSeconds(4), "rollout-service"),
						PipelineEvent.Outcome.SUCCEEDED, "ROLLOUT", null, sha, 4_000L));
	}

	private static Meta meta(String deployId, Target target, Instant at, String producer) {
		return new Meta(UUID.randomUUID().toString(), deployId, target, at, producer);
	}

}
