package io.parley.spi;

import io.parley.session.SessionException;

/**
 * Receives what a {@link SttStream} produces. Calls may come from any provider thread but
 * never concurrently for one stream; implementations return quickly.
 */
public interface SttListener {

    /** A recognition result. */
    void onTranscript(Transcript transcript);

    /** The provider's own voice activity detector heard speech begin (e.g. Deepgram SpeechStarted). */
    default void onSpeechStarted() {
    }

    /** The provider decided an utterance ended after a gap in words (e.g. Deepgram UtteranceEnd). */
    default void onUtteranceEnd() {
    }

    /**
     * The stream failed. {@link SessionException#retryable()} says whether reopening may help;
     * after this call the stream delivers nothing more.
     */
    void onError(SessionException error);
}
