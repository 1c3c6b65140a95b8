package io.parley.recording.audio;

/** An {@link AudioTrack} over an interleaved stereo array. */
final class MemoryAudioTrack implements AudioTrack {

    private final int sampleRate;
    private final short[] samples;

    MemoryAudioTrack(int sampleRate, short[] samples) {
        if ((samples.length & 1) != 0) {
            throw new IllegalArgumentException("stereo samples must come in pairs, got " + samples.length);
        }
        this.sampleRate = sampleRate;
        this.samples = samples;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public long frames() {
        return samples.length / 2;
    }

    @Override
    public int read(long fromFrame, short[] dst, int maxFrames) {
        if (fromFrame < 0) {
            throw new IllegalArgumentException("fromFrame must not be negative, was " + fromFrame);
        }
        if (dst.length < 2 * maxFrames) {
            throw new IllegalArgumentException("dst holds " + dst.length / 2 + " frames, asked for " + maxFrames);
        }
        long n = Math.min(maxFrames, frames() - fromFrame);
        if (n <= 0) {
            return 0;
        }
        System.arraycopy(samples, (int) (2 * fromFrame), dst, 0, (int) (2 * n));
        return (int) n;
    }
}
