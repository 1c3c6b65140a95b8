package io.parley.recording.audio;

/**
 * A recording's stereo audio (left = user, right = agent), read by position. Implementations
 * may be backed by a file or by memory.
 */
public interface AudioTrack {

    /** Samples per second per channel. */
    int sampleRate();

    /** Length in frames (one frame = one left and one right sample). */
    long frames();

    /**
     * Copies up to {@code maxFrames} interleaved frames starting at {@code fromFrame} into
     * {@code dst}; returns the number of frames copied (0 at the end).
     *
     * @throws IllegalArgumentException if {@code dst} is too small or {@code fromFrame} is negative
     */
    int read(long fromFrame, short[] dst, int maxFrames);

    /** A track held in memory. */
    static AudioTrack ofSamples(int sampleRate, short[] interleavedStereo) {
        return new MemoryAudioTrack(sampleRate, interleavedStereo);
    }
}
