package io.parley.bench.session;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in fixed 10 µs buckets up to 1 s (larger values in the last bucket), so the
 * harness itself allocates nothing while it measures and does not disturb the collector.
 */
public final class Recorder {
    private static final long BUCKET_NANOS = 10_000L;
    private final AtomicLongArray counts = new AtomicLongArray(100_001);

    void add(long nanos) {
        counts.incrementAndGet(bucket(nanos));
    }

    /**
     * {@link #add} for a recorder only the calling thread writes to (a load driver's own): a
     * plain increment published by a release store, without the locked read-modify-write that
     * {@link #add} pays for writers on several threads, four times per frame in a driver.
     */
    void addFromOwner(long nanos) {
        int b = bucket(nanos);
        counts.lazySet(b, counts.get(b) + 1);
    }

    private int bucket(long nanos) {
        return (int) Math.min(counts.length() - 1, Math.max(0, nanos) / BUCKET_NANOS);
    }

    /** Adds every latency {@code other} holds. */
    public void addAll(Recorder other) {
        for (int i = 0; i < counts.length(); i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.addAndGet(i, c);
            }
        }
    }

    void reset() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
    }

    /** How many latencies it holds. */
    long count() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The upper edge of the highest non-empty bucket, in milliseconds; 0 if empty. */
    double max() {
        for (int i = counts.length() - 1; i >= 0; i--) {
            if (counts.get(i) != 0) {
                return i == 0 ? 0 : (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return 0;
    }

    /** The upper edge of the bucket holding the p-th percentile, in milliseconds. */
    public double percentile(double p) {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100.0 * total);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i == 0 ? 0 : (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return (counts.length()) * BUCKET_NANOS / 1e6;
    }
}
