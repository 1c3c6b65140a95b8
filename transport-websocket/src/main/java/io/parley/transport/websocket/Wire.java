package io.parley.transport.websocket;

/** The socket under a media stream: sends never block, close is idempotent. */
interface Wire {

    /** Queues a text message. */
    void sendText(String text);

    /** Queues a binary message of {@code bytes[0..length)}; the bytes may be reused on return. */
    void sendBinary(byte[] bytes, int length);

    /** Closes the socket with a WebSocket status code. */
    void close(int status, String reason);
}
