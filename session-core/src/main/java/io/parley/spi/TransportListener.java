package io.parley.spi;

import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;

/**
 * Receives what a {@link Transport} brings in. Audio arrives from one thread at a time.
 */
public interface TransportListener {

    /** Inbound user audio in {@link Transport#inputFormat()}; valid only during the call. */
    void onAudio(AudioFrame frame);

    /** The remote peer connected (or reconnected). */
    default void onConnected() {
    }

    /** The remote peer went away; the session decides whether that ends it. */
    default void onDisconnected(String reason) {
    }

    /** The transport failed. */
    void onError(SessionException error);
}
