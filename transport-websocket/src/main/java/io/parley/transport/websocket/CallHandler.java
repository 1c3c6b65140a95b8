package io.parley.transport.websocket;

import io.parley.session.VoiceSession;

/**
 * Answers a call: builds the session that talks to the caller. The server starts the session it
 * returns and stops it when the call ends; the session's transport must be {@code call}.
 */
@FunctionalInterface
public interface CallHandler {

    /**
     * Called once per call when its stream has started, on the socket's thread.
     *
     * @return the session for this call, not yet started; null to refuse the call (the socket is closed)
     */
    VoiceSession onCall(MediaStreamTransport call);
}
