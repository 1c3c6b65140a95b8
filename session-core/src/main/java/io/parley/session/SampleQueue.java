package io.parley.session;

import io.parley.audio.AudioFrame;

/**
 * A growable FIFO ring of PCM samples. Copies in and out, so no frame object is retained
 * and steady-state use allocates nothing. Not thread-safe.
 */
final class SampleQueue {

    private short[] ring;
    private int head;
    private int size;
    private final int maxSize;

    SampleQueue(int initialCapacity, int maxSize) {
        this.ring = new short[Math.max(16, initialCapacity)];
        this.maxSize = maxSize;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    /**
     * Appends the frame's samples, dropping the oldest if the queue would exceed its maximum.
     *
     * @return how many old samples were dropped
     */
    int add(AudioFrame frame) {
        return add(frame.samples(), 0, frame.length());
    }

    int add(short[] src, int offset, int count) {
        int dropped = 0;
        if (count > maxSize) {
            dropped = size + count - maxSize;
            offset += count - maxSize;
            count = maxSize;
            clear();
        } else if (size + count > maxSize) {
            dropped = size + count - maxSize;
            skip(dropped);
        }
        ensureCapacity(size + count);
        int tail = (head + size) % ring.length;
        int first = Math.min(count, ring.length - tail);
        System.arraycopy(src, offset, ring, tail, first);
        System.arraycopy(src, offset + first, ring, 0, count - first);
        size += count;
        return dropped;
    }

    /** Moves up to {@code max} samples into {@code out} from its start; returns the count moved. */
    int poll(short[] out, int max) {
        int n = Math.min(max, size);
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, out, 0, first);
        System.arraycopy(ring, 0, out, first, n - first);
        head = (head + n) % ring.length;
        size -= n;
        return n;
    }

    void skip(int n) {
        n = Math.min(n, size);
        head = (head + n) % ring.length;
        size -= n;
    }

    private void ensureCapacity(int needed) {
        if (needed <= ring.length) {
            return;
        }
        int cap = ring.length;
        while (cap < needed) {
            cap *= 2;
        }
        short[] bigger = new short[cap];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, first);
        System.arraycopy(ring, 0, bigger, first, size - first);
        ring = bigger;
        head = 0;
    }
}
