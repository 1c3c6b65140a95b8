package io.parley.spi;

import java.util.Objects;

/**
 * A completed turn of the conversation.
 *
 * @param role        who spoke
 * @param text        what was said; for an interrupted agent turn, only what was played
 * @param interrupted true if the user barged in on this agent turn
 */
public record ConversationTurn(Role role, String text, boolean interrupted) {

    /** The two parties of a voice session. */
    public enum Role { USER, AGENT }

    public ConversationTurn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }
}
