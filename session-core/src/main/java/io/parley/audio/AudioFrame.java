package io.parley.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * A block of PCM audio: interleaved signed 16-bit samples, their format and the time at
 * which the first sample was captured (or is due to be played).
 *
 * <p>Frames are deliberately mutable holders so that the real-time path can reuse them
 * instead of allocating one per 20 ms. Whoever receives a frame may read it only for the
 * duration of the call that handed it over; keep {@link #copy()} if you need it later.
 */
public final class AudioFrame {

    private final AudioFormat format;
    private final short[] samples;
    private int length;
    private long timestampNanos;

    /**
     * Wraps {@code samples[0..length)} without copying.
     *
     * @param timestampNanos capture time on the session clock (see {@code io.parley.time.Clock#nanoTime})
     */
    public AudioFrame(AudioFormat format, short[] samples, int length, long timestampNanos) {
        this.format = Objects.requireNonNull(format, "format");
        this.samples = Objects.requireNonNull(samples, "samples");
        setLength(length);
        this.timestampNanos = timestampNanos;
    }

    /** Wraps all of {@code samples} without copying. */
    public AudioFrame(AudioFormat format, short[] samples, long timestampNanos) {
        this(format, samples, samples.length, timestampNanos);
    }

    /** An empty frame whose buffer holds {@code capacity} samples, for reuse on hot paths. */
    public static AudioFrame allocate(AudioFormat format, int capacity) {
        return new AudioFrame(format, new short[capacity], 0, 0L);
    }

    /**
     * Decodes PCM16LE bytes into a new frame.
     *
     * @throws IllegalArgumentException if the byte count is odd or not a whole number of
     *                                  multi-channel sample groups
     */
    public static AudioFrame fromPcm16le(AudioFormat format, byte[] pcm, long timestampNanos) {
        Objects.requireNonNull(pcm, "pcm");
        AudioFrame frame = allocate(format, pcm.length / 2);
        frame.readPcm16le(pcm, 0, pcm.length, timestampNanos);
        return frame;
    }

    /**
     * Overwrites this frame with PCM16LE {@code bytes[offset..offset+count)}; no allocation.
     *
     * @throws IllegalArgumentException on an odd byte count, a partial sample group, or more
     *                                  samples than the buffer holds
     */
    public AudioFrame readPcm16le(byte[] bytes, int offset, int count, long timestampNanos) {
        if ((count & 1) != 0) {
            throw new IllegalArgumentException("PCM16LE byte count must be even, was " + count);
        }
        Objects.checkFromIndexSize(offset, count, bytes.length);
        int n = count / 2;
        if (n > samples.length) {
            throw new IllegalArgumentException("frame holds " + samples.length + " samples, got " + n);
        }
        for (int i = 0; i < n; i++) {
            int lo = bytes[offset + 2 * i] & 0xFF;
            int hi = bytes[offset + 2 * i + 1];
            samples[i] = (short) ((hi << 8) | lo);
        }
        setLength(n);
        this.timestampNanos = timestampNanos;
        return this;
    }

    /** Encodes the samples as PCM16LE into a new array. */
    public byte[] toPcm16le() {
        byte[] out = new byte[length * 2];
        writePcm16le(out, 0);
        return out;
    }

    /** Encodes the samples as PCM16LE into {@code out} at {@code offset}; returns bytes written. */
    public int writePcm16le(byte[] out, int offset) {
        Objects.checkFromIndexSize(offset, length * 2, out.length);
        for (int i = 0; i < length; i++) {
            short s = samples[i];
            out[offset + 2 * i] = (byte) s;
            out[offset + 2 * i + 1] = (byte) (s >> 8);
        }
        return length * 2;
    }

    public AudioFormat format() {
        return format;
    }

    /** The backing buffer; only {@code [0, length())} is meaningful. */
    public short[] samples() {
        return samples;
    }

    /** Number of valid interleaved samples. */
    public int length() {
        return length;
    }

    /** Capacity of the backing buffer. */
    public int capacity() {
        return samples.length;
    }

    /** Sets the number of valid samples; must be a whole number of channel groups. */
    public AudioFrame setLength(int length) {
        if (length < 0 || length > samples.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + samples.length);
        }
        if (length % format.channels() != 0) {
            throw new IllegalArgumentException("length " + length + " is not a multiple of " + format.channels() + " channels");
        }
        this.length = length;
        return this;
    }

    /** Capture (inbound) or due (outbound) time on the session clock, in nanoseconds. */
    public long timestampNanos() {
        return timestampNanos;
    }

    public AudioFrame setTimestampNanos(long timestampNanos) {
        this.timestampNanos = timestampNanos;
        return this;
    }

    /** Samples per channel. */
    public int samplesPerChannel() {
        return length / format.channels();
    }

    /** Duration of the valid samples in nanoseconds. */
    public long durationNanos() {
        return format.nanosFor(length);
    }

    /** Copies {@code other}'s samples, length and timestamp into this frame; formats must match. */
    public AudioFrame copyFrom(AudioFrame other) {
        if (!format.equals(other.format)) {
            throw new IllegalArgumentException("format " + other.format + " does not match " + format);
        }
        if (other.length > samples.length) {
            throw new IllegalArgumentException("frame holds " + samples.length + " samples, got " + other.length);
        }
        System.arraycopy(other.samples, 0, samples, 0, other.length);
        this.length = other.length;
        this.timestampNanos = other.timestampNanos;
        return this;
    }

    /** A new frame with its own exactly-sized copy of the valid samples. */
    public AudioFrame copy() {
        return new AudioFrame(format, Arrays.copyOf(samples, length), length, timestampNanos);
    }

    @Override
    public String toString() {
        return "AudioFrame[" + format.sampleRate() + " Hz x" + format.channels() + ", " + length
                + " samples, t=" + timestampNanos + " ns]";
    }
}
