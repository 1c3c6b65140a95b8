package io.parley.group;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished turn of one participant.
 *
 * @param turnId        sequence number within the session, from 1
 * @param participantId who took the turn
 * @param speaker       their display name
 * @param text          everything they said or typed
 * @param question      what the agent is asked: the text without the wake phrase
 * @param spoken        true if spoken, false if typed
 * @param addressed     whether the turn is for the agent (wake phrase, or no wake phrase configured)
 * @param at            when the turn ended
 */
public record GroupTurn(long turnId, String participantId, String speaker, String text, String question,
                        boolean spoken, boolean addressed, Instant at) {
    public GroupTurn {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(at, "at");
    }
}
