package io.parley.transport.websocket;

/**
 * What a call brings besides audio and key presses (those reach the session as
 * {@link io.parley.session.SessionListener#onDtmf} events). Methods run on the socket's thread,
 * one at a time; do not block in them. Every method has an empty default.
 */
public interface CallListener {

    /** A raw WebSocket client sent typed text. */
    default void onText(String text) {
    }

    /** The call ended: the provider sent {@code stop} or the socket closed. */
    default void onHangUp(String reason) {
    }
}
