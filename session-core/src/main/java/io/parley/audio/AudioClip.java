package io.parley.audio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A whole piece of PCM16 audio held in memory: a recording, a synthesized prompt, a test
 * signal. Use {@link AudioFrame} for audio that streams.
 *
 * <p>The record owns its array: callers must not modify {@code samples} after handing it over.
 * Equality compares sample content.
 *
 * @param format  sample rate and channel count
 * @param samples interleaved samples; length must be a multiple of the channel count
 */
public record AudioClip(AudioFormat format, short[] samples) {

    public AudioClip {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(samples, "samples");
        if (samples.length % format.channels() != 0) {
            throw new IllegalArgumentException("sample count " + samples.length + " is not a multiple of "
                    + format.channels() + " channels");
        }
    }

    /** {@code duration} of digital silence. */
    public static AudioClip silence(AudioFormat format, Duration duration) {
        return new AudioClip(format, new short[Math.toIntExact(format.samplesForNanos(duration.toNanos()))]);
    }

    /** Interleaved sample count. */
    public int length() {
        return samples.length;
    }

    /** Samples per channel. */
    public int samplesPerChannel() {
        return samples.length / format.channels();
    }

    /** Playing time. */
    public Duration duration() {
        return Duration.ofNanos(durationNanos());
    }

    /** Playing time in nanoseconds. */
    public long durationNanos() {
        return format.nanosFor(samples.length);
    }

    /**
     * Cuts the clip into consecutive frames of {@code millis} each, each with its own copy of
     * the samples and a timestamp counted from zero. A shorter last frame is kept unless
     * {@code dropPartial}; no audio is lost otherwise.
     *
     * @throws IllegalArgumentException if {@code millis} is not positive or yields no whole sample
     */
    public List<AudioFrame> frames(int millis, boolean dropPartial) {
        int size = frameSize(millis);
        List<AudioFrame> out = new ArrayList<>(samples.length / size + 1);
        for (int off = 0; off < samples.length; off += size) {
            int n = Math.min(size, samples.length - off);
            if (n < size && dropPartial) {
                break;
            }
            out.add(new AudioFrame(format, Arrays.copyOfRange(samples, off, off + n), n, format.nanosFor(off)));
        }
        return out;
    }

    /** {@link #frames(int, boolean)} keeping a partial last frame. */
    public List<AudioFrame> frames(int millis) {
        return frames(millis, false);
    }

    /** Number of frames of {@code millis} the clip holds, counting a partial last one. */
    public int frameCount(int millis) {
        int size = frameSize(millis);
        return (samples.length + size - 1) / size;
    }

    /**
     * Copies frame {@code index} of {@code millis} into {@code into} (without allocating), for
     * feeding a clip to a streaming component in a loop.
     *
     * @return {@code into}, its length set to the samples copied (less than a full frame at the end)
     */
    public AudioFrame frame(int index, int millis, AudioFrame into) {
        int size = frameSize(millis);
        if (!into.format().equals(format)) {
            throw new IllegalArgumentException("frame format " + into.format() + " does not match clip " + format);
        }
        if (into.capacity() < size) {
            throw new IllegalArgumentException("frame holds " + into.capacity() + " samples, needs " + size);
        }
        long off = (long) index * size;
        if (index < 0 || off >= samples.length) {
            throw new IndexOutOfBoundsException("frame " + index + " outside clip of " + frameCount(millis) + " frames");
        }
        int n = (int) Math.min(size, samples.length - off);
        System.arraycopy(samples, (int) off, into.samples(), 0, n);
        into.setLength(n);
        into.setTimestampNanos(format.nanosFor(off));
        return into;
    }

    /** The part from {@code startNanos} (inclusive) to {@code endNanos} (exclusive), clamped to the clip. */
    public AudioClip slice(long startNanos, long endNanos) {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("end " + endNanos + " is before start " + startNanos);
        }
        int from = (int) Math.min(samples.length, format.samplesForNanos(Math.max(0, startNanos)));
        int to = (int) Math.min(samples.length, format.samplesForNanos(Math.max(0, endNanos)));
        return new AudioClip(format, Arrays.copyOfRange(samples, from, to));
    }

    /** This clip followed by {@code other}, which must have the same format. */
    public AudioClip append(AudioClip other) {
        if (!other.format.equals(format)) {
            throw new IllegalArgumentException("cannot append " + other.format + " to " + format);
        }
        short[] all = Arrays.copyOf(samples, samples.length + other.samples.length);
        System.arraycopy(other.samples, 0, all, samples.length, other.samples.length);
        return new AudioClip(format, all);
    }

    /**
     * This clip at {@code sampleRate}, converted with {@link Resampler} and aligned in time: the
     * filter's delay is removed so sample {@code t} of the result is at the same instant as in
     * the original, and the length matches the duration.
     */
    public AudioClip resample(int sampleRate) {
        if (sampleRate == format.sampleRate()) {
            return this;
        }
        Resampler r = Resampler.create(format.sampleRate(), sampleRate, format.channels());
        AudioFormat target = r.outputFormat();
        short[] body = new short[r.outputCapacity(samples.length) + r.flushCapacity()];
        int n = r.process(samples, 0, samples.length, body, 0);
        AudioFrame tail = AudioFrame.allocate(target, r.flushCapacity());
        int t = r.flush(tail);
        System.arraycopy(tail.samples(), 0, body, n, t);
        int ch = format.channels();
        int skip = r.delayOutputSamples() * ch;
        int want = (int) Math.round((double) samplesPerChannel() * sampleRate / format.sampleRate()) * ch;
        int available = Math.max(0, n + t - skip);
        short[] out = new short[want];
        System.arraycopy(body, Math.min(skip, n + t), out, 0, Math.min(want, available));
        return new AudioClip(target, out);
    }

    /** Peak absolute sample value, 0..32768. */
    public int peak() {
        int p = 0;
        for (short s : samples) {
            p = Math.max(p, Math.abs((int) s));
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioClip c && c.format.equals(format) && Arrays.equals(c.samples, samples);
    }

    @Override
    public int hashCode() {
        return 31 * format.hashCode() + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "AudioClip[" + format.sampleRate() + " Hz x" + format.channels() + ", " + samples.length
                + " samples, " + duration().toMillis() + " ms]";
    }

    private int frameSize(int millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("frame duration must be positive, was " + millis + " ms");
        }
        int size = format.samplesFor(millis);
        if (size == 0) {
            throw new IllegalArgumentException(millis + " ms holds no whole sample at " + format.sampleRate() + " Hz");
        }
        return size;
    }
}
