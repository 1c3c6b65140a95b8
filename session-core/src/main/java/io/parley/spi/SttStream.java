package io.parley.spi;

import io.parley.audio.AudioFrame;

/**
 * One live recognition stream. The session writes audio from one thread at a time.
 */
public interface SttStream extends AutoCloseable {

    /**
     * Sends audio. The frame is only valid during this call: copy what must outlive it.
     * Implementations must not block on network I/O here.
     */
    void write(AudioFrame frame);

    /**
     * Asks the provider to finish recognising the audio written so far and deliver it as a
     * final result with {@code speechFinal} set, even if it has not heard a pause.
     * The stream stays open for the next utterance.
     */
    void finalizeUtterance();

    /** Flushes pending results, then releases the connection. Idempotent. */
    @Override
    void close();
}
