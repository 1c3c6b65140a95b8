package io.parley.spi;

import io.parley.audio.AudioFrame;

/**
 * Removes noise from inbound audio before voice activity detection and recognition.
 * One instance per session; not thread-safe.
 */
public interface NoiseCanceller {

    /**
     * Cleans {@code in} into {@code out} (which may be the same frame). {@code out} has the
     * same format and at least the same capacity. Must not allocate per call.
     */
    void process(AudioFrame in, AudioFrame out);

    /** Forgets noise estimates. */
    default void reset() {
    }
}
