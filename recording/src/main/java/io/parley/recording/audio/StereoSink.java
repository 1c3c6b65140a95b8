package io.parley.recording.audio;

/** Receives interleaved stereo PCM (left = user, right = agent) in timeline order. */
@FunctionalInterface
public interface StereoSink {

    /** Appends {@code samples[offset..offset+length)}; {@code length} is even. Valid only during the call. */
    void write(short[] samples, int offset, int length);
}
