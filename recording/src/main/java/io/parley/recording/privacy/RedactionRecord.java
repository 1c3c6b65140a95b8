package io.parley.recording.privacy;

import java.time.Instant;
import java.util.Objects;

/**
 * Audit entry: a rule removed something from one event before it was written. Holds what kind of
 * data it was and how many matches, never the removed text itself.
 *
 * @param seq       the event it was removed from
 * @param timestamp the event's time
 * @param rule      the rule's name, e.g. {@code "email"}
 * @param count     how many matches were replaced
 */
public record RedactionRecord(long seq, Instant timestamp, String rule, int count) {
    public RedactionRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(rule, "rule");
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
    }
}
