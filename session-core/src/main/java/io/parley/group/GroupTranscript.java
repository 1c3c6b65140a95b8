package io.parley.group;

import java.time.Instant;
import java.util.Objects;

/**
 * A recognition result attributed to its speaker.
 *
 * @param participantId who spoke
 * @param speaker       their display name
 * @param text          what was recognised
 * @param isFinal       false for an interim result that a later one revises
 * @param confidence    0..1, or NaN if the recognizer gives none
 * @param at            when it was recognised
 */
public record GroupTranscript(String participantId, String speaker, String text, boolean isFinal, double confidence,
                              Instant at) {
    public GroupTranscript {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }
}
