package io.parley.spi;

/**
 * A speech-to-text engine. Thread-safe; one provider serves many sessions.
 */
public interface SttProvider {

    /** Short stable name for traces and logs, e.g. {@code "deepgram"}. */
    String name();

    /**
     * Opens a stream. May block while connecting; the session calls it off its event loop.
     *
     * @throws io.parley.session.SessionException if the stream cannot be opened; its
     *         {@code retryable()} decides whether the session tries again
     */
    SttStream open(SttRequest request, SttListener listener);
}
