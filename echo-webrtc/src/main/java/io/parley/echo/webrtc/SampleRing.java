package io.parley.echo.webrtc;

/**
 * A bounded first-in first-out queue of 16-bit samples that moves them in and out of the
 * little-endian byte blocks libwebrtc's audio processing reads and writes, without allocating.
 * One thread at a time.
 */
final class SampleRing {

    private final short[] ring;
    private final int mask;
    private long head;
    private long tail;

    /** A ring that holds at least {@code capacity} samples. */
    SampleRing(int capacity) {
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

    /** Appends {@code src[off..off+n)}; the caller keeps the size within the capacity. */
    void add(short[] src, int off, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) ((tail + i) & mask)] = src[off + i];
        }
        tail += n;
    }

    /** Appends the {@code n} samples held little-endian in {@code bytes}. */
    void addBytes(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) ((tail + i) & mask)] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
        }
        tail += n;
    }

    /** Removes the oldest {@code n} samples. */
    void drop(int n) {
        head += n;
    }

    /** Removes the oldest {@code n} samples into {@code bytes}, little-endian. */
    void pollBytes(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            short s = ring[(int) ((head + i) & mask)];
            bytes[2 * i] = (byte) s;
            bytes[2 * i + 1] = (byte) (s >> 8);
        }
        head += n;
    }

    /** Removes the oldest {@code n} samples into {@code dst[off..off+n)}. */
    void poll(short[] dst, int off, int n) {
        for (int i = 0; i < n; i++) {
            dst[off + i] = ring[(int) ((head + i) & mask)];
        }
        head += n;
    }
}
