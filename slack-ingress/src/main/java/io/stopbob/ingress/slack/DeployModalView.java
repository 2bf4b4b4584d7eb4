package io.stopbob.ingress.slack;

import java.util.List;
import java.util.Map;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import io.stopbob.ingress.deploy.Problem;
import io.stopbob.ingress.thread.SlackWorkspace.DeployModal;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

/**
 * The deploy modal: the commit SHA, the environment (the app's, from the catalog) and an
 * optional reason. Block and action ids are the contract with the submission handler.
 */
final class DeployModalView {

	static final String CALLBACK_ID = "stop_deploy";

	static final String SHA_BLOCK = "sha";

	static final String ENVIRONMENT_BLOCK = "environment";

	static final String REASON_BLOCK = "reason";

	static final String EMERGENCY_BLOCK = "emergency";

	private static final String INPUT = "value";

	private DeployModalView() {
	}

	static View of(DeployModal modal) {
		List<LayoutBlock> blocks = List.of(
				input((block) -> block.blockId(SHA_BLOCK)
					.label(plainText("Commit SHA"))
					.hint(plainText("7 to 40 hex characters, e.g. 3f9c2a1"))
					.element(plainTextInput((element) -> element.actionId(INPUT).minLength(7).maxLength(40)))),
				input((block) -> block.blockId(ENVIRONMENT_BLOCK)
					.label(plainText("Environment"))
					.element(staticSelect((element) -> element.actionId(INPUT)
						.placeholder(plainText("Choose"))
						.options(modal.environments().stream().map((env) -> option(plainText(env), env)).toList())))),
				input((block) -> block.blockId(REASON_BLOCK)
					.optional(true)
					.label(plainText("Reason"))
					.element(plainTextInput((element) -> element.actionId(INPUT).maxLength(500)))),
				input((block) -> block.blockId(EMERGENCY_BLOCK)
					.optional(true)
					.label(plainText("Emergency (only inside a freeze window)"))
					.hint(plainText("Why this cannot wait. Recorded and announced in the channel."))
					.element(plainTextInput((element) -> element.actionId(INPUT).maxLength(500)))));
		return view((view) -> view.type("modal")
			.callbackId(CALLBACK_ID)
			.privateMetadata(modal.app() + "|" + modal.channel())
			.title(viewTitle((title) -> title.type("plain_text").text("Deploy " + modal.app())))
			.submit(viewSubmit((submit) -> submit.type("plain_text").text("Deploy")))
			.close(viewClose((close) -> close.type("plain_text").text("Cancel")))
			.blocks(blocks));
	}

	/** The app the modal was opened for. */
	static String app(View view) {
		String metadata = (view.getPrivateMetadata() != null) ? view.getPrivateMetadata() : "";
		int bar = metadata.indexOf('|');
		return (bar < 0) ? metadata : metadata.substring(0, bar);
	}

	static String sha(ViewState state) {
		ViewState.Value value = value(state, SHA_BLOCK);
		return (value != null && value.getValue() != null) ? value.getValue().strip() : "";
	}

	static String environment(ViewState state) {
		ViewState.Value value = value(state, ENVIRONMENT_BLOCK);
		return (value != null && value.getSelectedOption() != null) ? value.getSelectedOption().getValue() : "";
	}

	static String reason(ViewState state) {
		ViewState.Value value = value(state, REASON_BLOCK);
		return (value != null) ? value.getValue() : null;
	}

	static String emergency(ViewState state) {
		ViewState.Value value = value(state, EMERGENCY_BLOCK);
		return (value != null) ? value.getValue() : null;
	}

	/** The modal field a problem is shown under. */
	static String blockOf(Problem problem) {
		return switch (problem.field()) {
			case SHA -> SHA_BLOCK;
			case REASON -> REASON_BLOCK;
			case EMERGENCY -> EMERGENCY_BLOCK;
			case APP, ENVIRONMENT -> ENVIRONMENT_BLOCK;
		};
	}

	private static ViewState.Value value(ViewState state, String block) {
		Map<String, Map<String, ViewState.Value>> values = (state != null) ? state.getValues() : null;
		Map<String, ViewState.Value> inputs = (values != null) ? values.get(block) : null;
		return (inputs != null) ? inputs.get(INPUT) : null;
	}

}
