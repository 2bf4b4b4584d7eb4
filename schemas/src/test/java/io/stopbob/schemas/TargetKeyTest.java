package io.stopbob.schemas;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TargetKeyTest {

	@Test
	void aTargetIsWrittenAsAppSlashEnvironment() {
		assertThat(new TargetKey("convertkit", "production")).hasToString("convertkit/production");
		assertThat(TargetKey.parse("convertkit/production")).isEqualTo(new TargetKey("convertkit", "production"));
	}

	@Test
	void namesThatCouldSplitOrForgeAKeyAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TargetKey("convert/kit", "production"))
			.withMessageContaining("app 'convert/kit'");
		assertThatIllegalArgumentException().isThrownBy(() -> TargetKey.parse("convertkit"))
			.withMessageContaining("not app/environment");
		assertThatIllegalArgumentException().isThrownBy(() -> new TargetKey("demo", "prod\nuction"));
	}

	@Test
	void everyPipelineTopicHasOneEventTypeAndADeadLetterTopic() {
		assertThat(Topics.pipeline()).containsExactly("deploy-requested", "tag-created", "build-passed",
				"rollout-progress", "deploy-finished");
		assertThat(Topics.pipeline()).allSatisfy((topic) -> assertThat(Topics.eventType(topic)).isPresent());
		assertThat(Topics.deadLetter("tag-created")).isEqualTo("tag-created.DLT");
		assertThat(Topics.topicOf(io.stopbob.events.DeployFinished.class)).isEqualTo("deploy-finished");
	}

}
