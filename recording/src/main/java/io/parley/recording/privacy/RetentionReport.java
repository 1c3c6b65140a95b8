package io.parley.recording.privacy;

import java.time.Instant;
import java.util.List;

/**
 * What a retention run found.
 *
 * @param dryRun  whether nothing was deleted (the report says what would have been)
 * @param expired recordings past their retention that were (or would be) deleted
 * @param held    recordings past their retention kept because of a legal hold
 * @param skipped recordings past their retention that are still being written
 */
public record RetentionReport(boolean dryRun, List<Item> expired, List<Item> held, List<Item> skipped) {

    public RetentionReport {
        expired = List.copyOf(expired);
        held = List.copyOf(held);
        skipped = List.copyOf(skipped);
    }

    /**
     * One recording.
     *
     * @param recording its name
     * @param dataClass its retention class
     * @param expiredAt when its retention ran out
     * @param note      the hold reason or why it was skipped, else empty
     */
    public record Item(String recording, String dataClass, Instant expiredAt, String note) {
    }
}
