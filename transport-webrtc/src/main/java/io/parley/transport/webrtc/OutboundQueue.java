package io.parley.transport.webrtc;

/**
 * Outbound samples waiting for the pacer: a circular buffer that grows by doubling up to a
 * hard limit, so steady state allocates nothing. Guarded by its own monitor; the critical
 * sections only copy arrays and never call out.
 */
final class OutboundQueue {

    private final int maxSamples;
    private short[] buf;
    private int head;
    private int size;
    private long polled;

    OutboundQueue(int initialSamples, int maxSamples) {
        if (initialSamples < 1 || maxSamples < initialSamples) {
            throw new IllegalArgumentException("bad capacities " + initialSamples + "/" + maxSamples);
        }
        this.maxSamples = maxSamples;
        this.buf = new short[initialSamples];
    }

    /**
     * Appends {@code src[off, off+len)}.
     *
     * @return false, appending nothing, if the queue would exceed its limit
     */
    synchronized boolean offer(short[] src, int off, int len) {
        if (size + len > maxSamples) {
            return false;
        }
        if (size + len > buf.length) {
            grow(size + len);
        }
        int tail = (head + size) % buf.length;
        int first = Math.min(len, buf.length - tail);
        System.arraycopy(src, off, buf, tail, first);
        System.arraycopy(src, off + first, buf, 0, len - first);
        size += len;
        return true;
    }

    /** Moves up to {@code n} samples into {@code dst[0..)}; returns how many. */
    synchronized int poll(short[] dst, int n) {
        int count = Math.min(n, size);
        int first = Math.min(count, buf.length - head);
        System.arraycopy(buf, head, dst, 0, first);
        System.arraycopy(buf, 0, dst, first, count - first);
        head = (head + count) % buf.length;
        size -= count;
        polled += count;
        return count;
    }

    /** Discards everything queued; returns how many samples were discarded. */
    synchronized int clear() {
        int dropped = size;
        head = 0;
        size = 0;
        return dropped;
    }

    /**
     * Samples ever taken by {@link #poll}; counted under the same lock as {@link #clear()}, so
     * once a clear returns no sample it dropped can be counted.
     */
    synchronized long polled() {
        return polled;
    }

    synchronized int size() {
        return size;
    }

    int maxSamples() {
        return maxSamples;
    }

    private void grow(int needed) {
        int cap = buf.length;
        while (cap < needed) {
            cap = (int) Math.min((long) cap * 2, maxSamples);
        }
        short[] next = new short[cap];
        int first = Math.min(size, buf.length - head);
        System.arraycopy(buf, head, next, 0, first);
        System.arraycopy(buf, 0, next, first, size - first);
        buf = next;
        head = 0;
    }
}
