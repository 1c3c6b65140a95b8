package io.parley.server;

import java.util.Locale;

/** What a session is for; each type can have its own agent ({@link AgentFactory}). */
public enum SessionType {
    /** Analysing an uploaded log. */
    LOG_ANALYSIS,
    /** Reviewing a repository. */
    REPO_REVIEW,
    /** Building and debugging together. */
    COLLABORATIVE_CODING,
    /** Targeted problem solving. */
    DEBUGGING,
    /** Focused coding. */
    CODING,
    /** Studying together. */
    STUDY,
    /** Anything else. */
    GENERAL;

    /** The name used in the API, e.g. {@code log_analysis}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type with this API name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SessionType parse(String name) {
        for (SessionType t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("session_type must be one of log_analysis, repo_review, "
                + "collaborative_coding, debugging, coding, study, general; was '" + name + "'");
    }
}
