package io.parley.recording.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A distribution of latencies (nearest-rank percentiles).
 *
 * @param count how many values
 * @param min   smallest
 * @param p50   median
 * @param p90   90th percentile
 * @param p95   95th percentile
 * @param max   largest
 * @param mean  average
 */
public record LatencyStats(int count, Duration min, Duration p50, Duration p90, Duration p95, Duration max, Duration mean) {

    /** The distribution of {@code values}; all zero when empty. */
    public static LatencyStats of(List<Duration> values) {
        if (values.isEmpty()) {
            return new LatencyStats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        long sum = 0;
        for (Duration d : sorted) {
            sum += d.toNanos();
        }
        return new LatencyStats(sorted.size(), sorted.get(0), rank(sorted, 50), rank(sorted, 90), rank(sorted, 95),
                sorted.get(sorted.size() - 1), Duration.ofNanos(sum / sorted.size()));
    }

    private static Duration rank(List<Duration> sorted, int pct) {
        int idx = (int) Math.ceil(pct / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
