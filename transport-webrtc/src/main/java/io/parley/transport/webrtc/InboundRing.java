package io.parley.transport.webrtc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lock-free single-producer/single-consumer ring of raw PCM16 chunks as libwebrtc hands them
 * over. The producer is the engine's capture thread, which serves every session of the
 * process, so {@link #offer} only copies and never blocks; when the consumer falls a whole
 * ring behind, the chunk is counted in {@link #dropped()} instead of waiting.
 */
final class InboundRing {

    /** One chunk: PCM16LE bytes plus what libwebrtc said about them. */
    static final class Slot {
        byte[] data;
        int bytes;
        int sampleRate;
        int channels;
        long timestampNanos;

        Slot(int capacity) {
            data = new byte[capacity];
        }
    }

    private final Slot[] slots;
    /** Next slot the producer writes; only the producer advances it. */
    private final AtomicLong writeIndex = new AtomicLong();
    /** Next slot the consumer reads; only the consumer advances it. */
    private final AtomicLong readIndex = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** {@code count} slots of {@code slotBytes} each; 10 ms of 48 kHz stereo is 1920 bytes. */
    InboundRing(int count, int slotBytes) {
        slots = new Slot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new Slot(slotBytes);
        }
    }

    /** Producer side: copies {@code pcm[0, bytes)}; false if the ring was full and it was dropped. */
    boolean offer(byte[] pcm, int bytes, int sampleRate, int channels, long timestampNanos) {
        long w = writeIndex.get();
        if (w - readIndex.get() >= slots.length) {
            dropped.incrementAndGet();
            return false;
        }
        Slot s = slots[(int) (w % slots.length)];
        if (s.data.length < bytes) {
            // Only if libwebrtc ever switches to longer callbacks; then once per slot.
            s.data = new byte[bytes];
        }
        System.arraycopy(pcm, 0, s.data, 0, bytes);
        s.bytes = bytes;
        s.sampleRate = sampleRate;
        s.channels = channels;
        s.timestampNanos = timestampNanos;
        writeIndex.lazySet(w + 1);
        return true;
    }

    /** Consumer side: the oldest filled slot, or null; hand it back with {@link #release()}. */
    Slot peek() {
        long r = readIndex.get();
        if (r == writeIndex.get()) {
            return null;
        }
        return slots[(int) (r % slots.length)];
    }

    /** Consumer side: frees the slot returned by {@link #peek()}. */
    void release() {
        readIndex.lazySet(readIndex.get() + 1);
    }

    boolean isEmpty() {
        return readIndex.get() == writeIndex.get();
    }

    /** Chunks dropped because the consumer was a whole ring behind. */
    long dropped() {
        return dropped.get();
    }
}
