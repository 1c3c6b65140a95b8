package io.parley.transport.websocket;

/**
 * The WebSocket under a media stream, for hosts that run their own WebSocket server instead of
 * {@link TelephonyRoutes}: adapt the server's session to this and feed its messages to a
 * {@link StreamEndpoint}. Sends must not block (queue them); close must be idempotent.
 */
public interface MessageSocket {

    /** Queues a text message. */
    void sendText(String text);

    /** Queues a binary message of {@code bytes[0..length)}; the bytes may be reused once this returns. */
    void sendBinary(byte[] bytes, int length);

    /** Closes the socket with a WebSocket status code; the server then reports the close to the endpoint. */
    void close(int status, String reason);
}
