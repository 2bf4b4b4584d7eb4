package io.stopbob.ingress.slack;

import java.util.List;

import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import io.stopbob.ingress.deploy.Describe;
import io.stopbob.ingress.thread.SlackWorkspace.RollbackModal;
import io.stopbob.ledger.Target;
import io.stopbob.slack.SlackText;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

/**
 * The rollback confirmation: what runs now and what it goes back to, who deployed each
 * and when. The SHA confirmed is the one shown, carried in the private metadata.
 */
final class RollbackModalView {

	static final String CALLBACK_ID = "stop_rollback";

	static final String REASON_BLOCK = "reason";

	private static final String INPUT = "value";

	private RollbackModalView() {
	}

	static View of(RollbackModal modal) {
		String text = "*Now on " + modal.target() + ":* `" + Describe.sha(modal.currentSha()) + "`, deployed by "
				+ SlackText.escape(modal.currentBy()) + " at " + Describe.time(modal.currentSince()) + "\n*Back to:* `"
				+ Describe.sha(modal.toSha()) + "`"
				+ ((modal.toTag() != null) ? " (" + SlackText.escape(modal.toTag()) + ")" : "") + ", deployed by "
				+ SlackText.escape(modal.toBy()) + " at " + Describe.time(modal.toSince())
				+ "\nIts build passed before, so CI is not run again; locks and freezes do not stop a rollback.";
		return view((view) -> view.type("modal")
			.callbackId(CALLBACK_ID)
			.privateMetadata(modal.target().app() + "|" + modal.target().environment() + "|" + modal.toSha())
			.title(viewTitle((title) -> title.type("plain_text").text("Roll back " + modal.target().app())))
			.submit(viewSubmit((submit) -> submit.type("plain_text").text("Roll back")))
			.close(viewClose((close) -> close.type("plain_text").text("Cancel")))
			.blocks(List.of(section((section) -> section.text(markdownText(text))),
					input((block) -> block.blockId(REASON_BLOCK)
						.optional(true)
						.label(plainText("Why (for the thread and the history)"))
						.element(plainTextInput((element) -> element.actionId(INPUT).maxLength(500)))))));
	}

	static Target target(View view) {
		String[] parts = metadata(view);
		return new Target(parts[0], parts[1]);
	}

	static String sha(View view) {
		return metadata(view)[2];
	}

	static String reason(ViewState state) {
		var values = (state != null && state.getValues() != null) ? state.getValues().get(REASON_BLOCK) : null;
		var value = (values != null) ? values.get(INPUT) : null;
		return (value != null) ? value.getValue() : null;
	}

	private static String[] metadata(View view) {
		String[] parts = (view.getPrivateMetadata() != null) ? view.getPrivateMetadata().split("\\|") : new String[0];
		if (parts.length != 3) {
			throw new IllegalArgumentException("not a rollback modal: " + view.getPrivateMetadata());
		}
		return parts;
	}

}
