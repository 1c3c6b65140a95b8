package io.parley.spi;

import io.parley.audio.AudioFormat;

/**
 * Creates {@link Vad} instances, one per session.
 */
public interface VadProvider {

    /** Short stable name for traces and logs, e.g. {@code "dsp"} or {@code "silero"}. */
    String name();

    /**
     * A detector for audio in {@code format}. Called on the clock's blocking pool when a
     * session starts (loading a model may take a while).
     *
     * @throws IllegalArgumentException if the format is not supported
     */
    Vad create(AudioFormat format);
}
