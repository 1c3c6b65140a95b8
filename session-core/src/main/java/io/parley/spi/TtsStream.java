package io.parley.spi;

/**
 * Synthesis of one reply, fed incrementally as an agent produces text. {@link #pushText} and
 * {@link #flush} are called on the session's event loop and must not block;
 * {@link #cancel} and {@link #close} are called on its blocking pool.
 */
public interface TtsStream extends AutoCloseable {

    /** Appends text. Providers decide where to cut sentences; chunks may split words. */
    void pushText(String chunk);

    /**
     * Declares the end of this reply's text: synthesize everything pushed, then call
     * {@link TtsListener#onComplete()}.
     */
    void flush();

    /** Stops synthesis at once (barge-in); no further audio is delivered. */
    void cancel();

    /** Releases resources. Idempotent. */
    @Override
    void close();
}
