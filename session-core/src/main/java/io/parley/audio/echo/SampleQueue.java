package io.parley.audio.echo;

/**
 * A bounded first-in first-out queue of 16-bit samples, without allocation after construction.
 * One thread at a time; the caller keeps the size within the capacity.
 */
final class SampleQueue {

    private final short[] ring;
    private final int mask;
    private long head;
    private long tail;

    /** A queue that holds at least {@code capacity} samples. */
    SampleQueue(int capacity) {
        ring = new short[Integer.highestOneBit(Math.max(2, capacity) - 1) << 1];
        mask = ring.length - 1;
    }

    int size() {
        return (int) (tail - head);
    }

    int capacity() {
        return ring.length;
    }

    void clear() {
        head = tail;
    }

    /** Appends {@code src[off, off + n)}. */
    void add(short[] src, int off, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) ((tail + i) & mask)] = src[off + i];
        }
        tail += n;
    }

    /** Removes the oldest {@code n} samples. */
    void drop(int n) {
        head += n;
    }

    /** Removes the oldest {@code n} samples into {@code dst[off, off + n)}. */
    void poll(short[] dst, int off, int n) {
        for (int i = 0; i < n; i++) {
            dst[off + i] = ring[(int) ((head + i) & mask)];
        }
        head += n;
    }
}
