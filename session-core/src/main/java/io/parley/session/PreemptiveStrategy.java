package io.parley.session;

/**
 * What to do with a reply generated from an interim transcript once the final one arrives.
 */
public enum PreemptiveStrategy {
    /** Throw it away and generate again from the final transcript. */
    DISCARD,
    /** Keep it if the final transcript's words overlap the interim's by at least the similarity threshold. */
    USE_IF_SIMILAR,
    /** Keep it whatever the final transcript says. */
    ALWAYS_USE
}
