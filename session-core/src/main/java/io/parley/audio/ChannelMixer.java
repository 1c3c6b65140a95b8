package io.parley.audio;

import java.util.Objects;

/**
 * Changes the channel count of interleaved PCM16. Down-mixing to mono averages the channels
 * (no clipping, at the cost of a quieter result when only one channel carries sound); up-mixing
 * from mono copies the channel; between other counts, output channel {@code c} averages every
 * input channel {@code i} with {@code i % outChannels == c}. No allocation.
 */
public final class ChannelMixer {

    private ChannelMixer() {
    }

    /**
     * Mixes {@code in} into {@code out}, whose format must have {@code in}'s rate; sets
     * {@code out}'s length and timestamp.
     *
     * @return interleaved samples written
     * @throws IllegalArgumentException if the rates differ or {@code out} is too small
     */
    public static int mix(AudioFrame in, AudioFrame out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (in.format().sampleRate() != out.format().sampleRate()) {
            throw new IllegalArgumentException("sample rates differ: " + in.format() + " -> " + out.format()
                    + " (resample with Resampler)");
        }
        int frames = in.samplesPerChannel();
        int needed = frames * out.format().channels();
        if (out.capacity() < needed) {
            throw new IllegalArgumentException("output frame holds " + out.capacity() + " samples, needs " + needed);
        }
        if (in == out) {
            throw new IllegalArgumentException("in and out must be different frames");
        }
        long ts = in.timestampNanos();
        mix(in.samples(), in.format().channels(), out.samples(), out.format().channels(), frames);
        out.setLength(needed);
        out.setTimestampNanos(ts);
        return needed;
    }

    /** Mixes {@code frames} sample groups from {@code in} ({@code inChannels} wide) into {@code out}. */
    public static void mix(short[] in, int inChannels, short[] out, int outChannels, int frames) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("channel counts must be positive, were " + inChannels + ", " + outChannels);
        }
        Objects.checkFromIndexSize(0, frames * inChannels, in.length);
        Objects.checkFromIndexSize(0, frames * outChannels, out.length);
        if (inChannels == outChannels) {
            System.arraycopy(in, 0, out, 0, frames * inChannels);
        } else if (outChannels == 1) {
            for (int f = 0; f < frames; f++) {
                int sum = 0;
                int base = f * inChannels;
                for (int c = 0; c < inChannels; c++) {
                    sum += in[base + c];
                }
                out[f] = (short) Math.floorDiv(sum, inChannels);
            }
        } else if (inChannels == 1) {
            for (int f = frames - 1; f >= 0; f--) {
                short v = in[f];
                int base = f * outChannels;
                for (int c = 0; c < outChannels; c++) {
                    out[base + c] = v;
                }
            }
        } else {
            for (int f = 0; f < frames; f++) {
                int ib = f * inChannels;
                int ob = f * outChannels;
                for (int c = 0; c < outChannels; c++) {
                    int sum = 0;
                    int count = 0;
                    for (int i = c; i < inChannels; i += outChannels) {
                        sum += in[ib + i];
                        count++;
                    }
                    // With fewer inputs than outputs, extra outputs repeat the input channels cyclically.
                    out[ob + c] = count == 0 ? in[ib + c % inChannels] : (short) Math.floorDiv(sum, count);
                }
            }
        }
    }
}
