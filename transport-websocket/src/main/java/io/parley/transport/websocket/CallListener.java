package io.parley.transport.websocket;

/**
 * What a call brings besides audio. Methods run on the socket's thread, one at a time; do not
 * block in them. Every method has an empty default.
 */
public interface CallListener {

    /** The caller pressed a key: 0-9, *, #, A-D. */
    default void onDtmf(char digit) {
    }

    /** A raw WebSocket client sent typed text. */
    default void onText(String text) {
    }

    /** The call ended: the provider sent {@code stop} or the socket closed. */
    default void onHangUp(String reason) {
    }
}
