package io.parley.spi;

import io.parley.audio.AudioFrame;

/**
 * One live recognition stream. {@link #write} is called from one thread at a time (the
 * audio thread); {@link #finalizeUtterance()} (from the session's event loop, must not block)
 * and {@link #close()} (from its blocking pool, may block) may come from other threads,
 * concurrently with a write.
 */
public interface SttStream extends AutoCloseable {

    /**
     * Sends audio. The frame is only valid during this call: copy what must outlive it.
     * Implementations must not block on network I/O here.
     */
    void write(AudioFrame frame);

    /**
     * Asks the provider to finish recognising the audio written so far. The provider must
     * answer every call with a final result that has {@code speechFinal} set (with empty text
     * if nothing was pending), after any other results for that audio: the session waits for
     * it to hand the turn to the agent. The stream stays open for the next utterance.
     */
    void finalizeUtterance();

    /**
     * How much of the audio written so far this stream's results already reflect, in nanoseconds
     * on the timeline of its {@linkplain Word word timings}: every word it heard before that point
     * has been published. The session reads it (from its event loop) before it ends a turn, so a
     * recognizer stalled behind its audio (a decoder starved of CPU) is not judged on a transcript
     * that misses the pause's words. -1 (the default) when the stream does not say.
     */
    default long publishedNanos() {
        return -1;
    }

    /**
     * Flushes pending results, then releases the connection. Called on the blocking pool; may
     * block while draining. Idempotent.
     */
    @Override
    void close();
}
