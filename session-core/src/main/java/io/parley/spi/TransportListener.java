package io.parley.spi;

import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import java.time.Duration;

/**
 * Receives what a {@link Transport} brings in. Audio arrives from one thread at a time.
 */
public interface TransportListener {

    /** Inbound user audio in {@link Transport#inputFormat()}; valid only during the call. */
    void onAudio(AudioFrame frame);

    /**
     * The caller pressed a key (DTMF): {@code digit} is 0-9, *, # or A-D, {@code duration} how
     * long it was held, or {@link Duration#ZERO} if the transport does not know.
     *
     * @throws IllegalArgumentException if {@code digit} is not a DTMF key or {@code duration} is negative
     */
    default void onDtmf(char digit, Duration duration) {
    }

    /** The remote peer connected (or reconnected). */
    default void onConnected() {
    }

    /** The remote peer went away; the session decides whether that ends it. */
    default void onDisconnected(String reason) {
    }

    /** The transport failed. */
    void onError(SessionException error);
}
