package io.parley.audio;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Re-cuts a stream of frames of any size into frames of a fixed duration, e.g. 20 ms WebRTC
 * frames into the 32 ms chunks Silero VAD wants, or 10 ms into 20 ms. Samples are never
 * dropped: what does not fill a whole frame waits for the next input, and {@link #flush}
 * emits it at the end of the stream.
 *
 * <p>The frame handed to the consumer is reused for every call and valid only during it.
 * Output timestamps continue from the first input's timestamp by sample count. Not
 * thread-safe; no allocation after construction.
 */
public final class FrameRechunker {

    private final AudioFormat format;
    private final int frameSamples;
    private final AudioFrame out;
    private long nextTimestamp;
    private boolean started;

    /**
     * @param frameMillis duration of the frames to emit
     * @throws IllegalArgumentException if {@code frameMillis} is not positive
     */
    public FrameRechunker(AudioFormat format, int frameMillis) {
        this.format = Objects.requireNonNull(format, "format");
        if (frameMillis <= 0) {
            throw new IllegalArgumentException("frameMillis must be positive, was " + frameMillis);
        }
        this.frameSamples = format.samplesFor(frameMillis);
        if (frameSamples == 0) {
            throw new IllegalArgumentException(frameMillis + " ms holds no whole sample at " + format.sampleRate() + " Hz");
        }
        this.out = AudioFrame.allocate(format, frameSamples);
    }

    /** Interleaved samples in each emitted frame. */
    public int frameSamples() {
        return frameSamples;
    }

    /** Interleaved samples waiting for a frame to fill. */
    public int pending() {
        return out.length();
    }

    /**
     * Adds {@code in} and hands every frame it completes to {@code sink}.
     *
     * @return number of frames emitted
     * @throws IllegalArgumentException if {@code in}'s format differs
     */
    public int push(AudioFrame in, Consumer<AudioFrame> sink) {
        if (!in.format().equals(format)) {
            throw new IllegalArgumentException("frame format " + in.format() + " does not match " + format);
        }
        if (!started) {
            nextTimestamp = in.timestampNanos();
            started = true;
        }
        short[] src = in.samples();
        short[] dst = out.samples();
        int pos = 0;
        int emitted = 0;
        while (pos < in.length()) {
            int have = out.length();
            int n = Math.min(frameSamples - have, in.length() - pos);
            System.arraycopy(src, pos, dst, have, n);
            out.setLength(have + n);
            pos += n;
            if (out.length() == frameSamples) {
                emit(sink);
                emitted++;
            }
        }
        return emitted;
    }

    /** Emits the pending partial frame, if any. @return whether a frame was emitted */
    public boolean flush(Consumer<AudioFrame> sink) {
        if (out.length() == 0) {
            return false;
        }
        emit(sink);
        return true;
    }

    /** Drops pending samples and restarts timestamps from the next input. */
    public void reset() {
        out.setLength(0);
        started = false;
    }

    private void emit(Consumer<AudioFrame> sink) {
        out.setTimestampNanos(nextTimestamp);
        nextTimestamp += format.nanosFor(out.length());
        sink.accept(out);
        out.setLength(0);
    }
}
