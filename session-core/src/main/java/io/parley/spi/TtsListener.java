package io.parley.spi;

import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import java.util.List;

/**
 * Receives what a {@link TtsStream} produces, in order. Calls may come from any provider
 * thread but never concurrently for one stream; implementations return quickly.
 */
public interface TtsListener {

    /**
     * Synthesized audio in the requested format, in playback order. The frame is only valid
     * during this call. Providers may deliver faster than real time; the session paces it.
     */
    void onAudio(AudioFrame frame);

    /** Timings of words synthesized so far, relative to the reply's first sample. Optional. */
    default void onWordTimings(List<WordTiming> timings) {
    }

    /** All audio for the text pushed before {@link TtsStream#flush()} has been delivered. */
    void onComplete();

    /** Synthesis failed; nothing more is delivered for this stream. */
    void onError(SessionException error);
}
