package io.parley.spi;

/**
 * A speech-to-text engine. Thread-safe; one provider serves many sessions.
 */
public interface SttProvider {

    /** Short stable name for traces and logs, e.g. {@code "deepgram"}. */
    String name();

    /**
     * Opens a stream. May block while connecting; called on the session clock's blocking pool,
     * never on its event loop (see the package's threading contract).
     *
     * @throws io.parley.session.SessionException if the stream cannot be opened; its
     *         {@code retryable()} decides whether the session tries again
     */
    SttStream open(SttRequest request, SttListener listener);
}
