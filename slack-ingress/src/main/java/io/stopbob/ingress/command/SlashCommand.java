package io.stopbob.ingress.command;

/**
 * A {@code /stop ...} command as Slack sent it.
 *
 * @param text everything after {@code /stop}
 * @param triggerId lets the reply open a modal within three seconds
 */
public record SlashCommand(String userId, String userName, String channelId, String text, String triggerId) {
}
