package io.parley.spi;

/**
 * Synthesis of one reply, fed incrementally as an agent produces text.
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
