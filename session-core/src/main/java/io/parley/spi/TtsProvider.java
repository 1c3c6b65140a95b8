package io.parley.spi;

/**
 * A text-to-speech engine. Thread-safe; one provider serves many sessions.
 */
public interface TtsProvider {

    /** Short stable name for traces and logs, e.g. {@code "elevenlabs"}. */
    String name();

    /**
     * Opens a synthesis stream for one reply. May block while connecting; called on the
     * session clock's blocking pool, never on its event loop.
     *
     * @throws io.parley.session.SessionException if it cannot be opened
     */
    TtsStream open(TtsRequest request, TtsListener listener);
}
