package io.parley.group;

/** How a participant takes part. */
public enum ParticipantKind {
    /** Types; receives the agent's text. */
    TEXT,
    /** Speaks and may type; receives the agent's text and voice. */
    VOICE
}
