package io.parley.spi;

import io.parley.audio.AudioFrame;

/**
 * A stateful voice activity detector for one audio stream. Not thread-safe: one session
 * feeds it from one thread.
 */
public interface Vad {

    /**
     * Classifies one frame, on the thread that delivers audio. Frames are at most 20 ms long
     * (longer input is sliced by the session). Must not allocate per call on its hot path.
     */
    VadResult process(AudioFrame frame);

    /** Forgets all state, as if newly created. */
    void reset();
}
