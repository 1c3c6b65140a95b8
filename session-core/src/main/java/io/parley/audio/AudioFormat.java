package io.parley.audio;

/**
 * Format of PCM audio moving through Parley: signed 16-bit little-endian samples,
 * interleaved when there is more than one channel.
 *
 * @param sampleRate samples per second per channel, 8 000 to 192 000
 * @param channels   interleaved channel count, 1 to 8
 */
public record AudioFormat(int sampleRate, int channels) {

    /** 16 kHz mono, what speech recognisers expect. */
    public static final AudioFormat PCM_16K_MONO = new AudioFormat(16_000, 1);
    /** 24 kHz mono, a common text-to-speech output rate. */
    public static final AudioFormat PCM_24K_MONO = new AudioFormat(24_000, 1);
    /** 48 kHz mono, WebRTC's native rate. */
    public static final AudioFormat PCM_48K_MONO = new AudioFormat(48_000, 1);
    /** 8 kHz mono, telephony. */
    public static final AudioFormat PCM_8K_MONO = new AudioFormat(8_000, 1);

    /** Bytes one sample of one channel occupies. */
    public static final int BYTES_PER_SAMPLE = 2;

    public AudioFormat {
        if (sampleRate < 8_000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("sampleRate must be within 8000..192000 Hz, was " + sampleRate);
        }
        if (channels < 1 || channels > 8) {
            throw new IllegalArgumentException("channels must be within 1..8, was " + channels);
        }
    }

    /** Number of interleaved samples (all channels) in {@code millis} of audio. */
    public int samplesFor(long millis) {
        return Math.toIntExact(sampleRate * millis / 1000L * channels);
    }

    /** Number of interleaved samples (all channels) in {@code nanos} of audio, rounded down. */
    public long samplesForNanos(long nanos) {
        return Math.multiplyExact(nanos, (long) sampleRate) / 1_000_000_000L * channels;
    }

    /** Duration in nanoseconds of {@code samples} interleaved samples. */
    public long nanosFor(long samples) {
        return samples / channels * 1_000_000_000L / sampleRate;
    }
}
