package io.stopbob.ingress.slack;

import java.util.ArrayList;
import java.util.List;

import com.slack.api.model.block.LayoutBlock;
import io.stopbob.ingress.thread.SlackWorkspace.Button;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

/** A message as Block Kit: its text, and its buttons under it. */
final class SlackBlocks {

	/** Slack's limit for a section's text. */
	private static final int MAX_SECTION = 3_000;

	private SlackBlocks() {
	}

	static List<LayoutBlock> of(String text, List<Button> buttons) {
		List<LayoutBlock> blocks = new ArrayList<>();
		String shown = (text.length() > MAX_SECTION) ? text.substring(0, MAX_SECTION - 1) + "…" : text;
		blocks.add(section((section) -> section.text(markdownText(shown))));
		if (!buttons.isEmpty()) {
			blocks.add(actions((actions) -> actions.elements(buttons.stream()
				.map((pressable) -> button((element) -> element.actionId(pressable.actionId())
					.text(plainText(pressable.label()))
					.value(pressable.value())
					.style(pressable.style())))
				.map((element) -> (com.slack.api.model.block.element.BlockElement) element)
				.toList())));
		}
		return blocks;
	}

}
