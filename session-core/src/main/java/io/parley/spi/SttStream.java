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
     *
     * <p>A provider that also ends utterances itself, at pauses (endpointing), may deliver such a
     * {@code speechFinal} result after this call even though it covers only the audio up to an
     * earlier pause. The session tells the two apart by {@link Transcript#audioEndNanos()}: a
     * user turn waits (within the session's final-transcript timeout) for a {@code speechFinal}
     * result that reaches the end of the turn's speech, joining the finals that come before it,
     * and answers the turn with all of their words. A provider that cannot say how far a result
     * reaches (-1) has its first {@code speechFinal} result after this call taken as the answer.
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
     * Tells the stream what the user is expected to say next (see {@link ExpectedAnswer}), from
     * the session's event loop (must not block); {@link ExpectedAnswer#ANY} again once the turn
     * has been answered. A recognizer that can narrow what it hears (a grammar, a numbers
     * model) does so from the next audio it has not yet begun to decode as part of the user's
     * speech; one that cannot ignores it (the default). It is a hint: the session does not
     * wait for it to take effect, and the turn detector relies on it whether or not it does.
     */
    default void expect(ExpectedAnswer answer) {
    }

    /**
     * Flushes pending results, then releases the connection. Called on the blocking pool; may
     * block while draining. Idempotent.
     */
    @Override
    void close();
}
