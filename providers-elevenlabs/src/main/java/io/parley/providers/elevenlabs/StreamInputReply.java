package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reply over its own {@code stream-input} socket: {@code {"text":""}} ends the input, the
 * server answers {@code {"isFinal":true}} and closes. Cancelling closes the socket with a close
 * frame (the only way this endpoint can stop mid-reply) and drops it only if ElevenLabs does
 * not answer the close within the close timeout.
 */
final class StreamInputReply extends ReplyStream {

    private static final Logger log = LoggerFactory.getLogger(StreamInputReply.class);
    static final String ENDPOINT = "stream-input";

    private final ElevenLabsTts provider;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final ServerMessage message = new ServerMessage();
    private WebSocket socket;
    private boolean socketClosed;
    private io.parley.time.Clock.Cancellable closeTimer;

    StreamInputReply(ElevenLabsTts provider, TtsRequest request, TtsListener listener) {
        super(listener, provider.clock(), provider.keepAliveNanos(), provider.completionNanos(), request.format());
        this.provider = provider;
        Request http = provider.socketRequest(request, ENDPOINT);
        synchronized (lock) {
            socket = provider.client().newWebSocket(http, new Connection());
        }
    }

    /** Blocks until the upgrade is answered, then sends the first message. */
    void connect(ObjectNode firstMessage) {
        long timeoutMs = provider.handshakeTimeout().toMillis();
        try {
            opened.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw SessionException.wrap(ErrorCode.PROVIDER_CONNECTION, e.getCause());
        } catch (TimeoutException e) {
            socket.cancel();
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION,
                    "ElevenLabs " + ENDPOINT + " did not answer the websocket upgrade within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.cancel();
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION, "interrupted while connecting to ElevenLabs", e);
        }
        start(firstMessage);
    }

    @Override
    void send(ObjectNode m) {
        socket.send(m.toString());
    }

    @Override
    ObjectNode keepAliveMessage() {
        return JSON.createObjectNode().put("text", " ");
    }

    @Override
    void sendEndOfInput() {
        socket.send("{\"text\":\"\"}");
    }

    @Override
    void abort() {
        closeSocket(1000, "reply cancelled");
    }

    /** Starts the closing handshake; the socket is dropped if it does not finish in time (caller holds the lock). */
    private void closeSocket(int code, String reason) {
        if (!socketClosed) {
            socketClosed = true;
            socket.close(code, reason);
            WebSocket ws = socket;
            closeTimer = clock.schedule(ws::cancel, provider.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    void released() {
        // The socket belongs to this reply alone; the server closes it after isFinal, cancel() drops it.
    }

    @Override
    public void close() {
        cancel();
        synchronized (lock) {
            closeSocket(1000, null);
        }
    }

    /** The socket is gone: a pending forced drop is no longer needed. */
    private void socketGone() {
        synchronized (lock) {
            socketClosed = true;
            if (closeTimer != null) {
                closeTimer.cancel();
                closeTimer = null;
            }
        }
    }

    private final class Connection extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            try {
                onServerMessage(message.parse(text));
            } catch (SessionException e) {
                fail(e);
                webSocket.cancel();
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            log.warn("ignoring unexpected {}-byte binary frame from ElevenLabs {}", bytes.size(), ENDPOINT);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            synchronized (lock) {
                socketClosed = true;
            }
            onSocketEnd(code, reason, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            socketGone();
            onSocketEnd(code, reason, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            socketGone();
            if (!opened.isDone()) {
                opened.completeExceptionally(response != null && response.code() != 101
                        ? ElevenLabsErrors.fromResponse(ENDPOINT, response)
                        : new SessionException(ErrorCode.PROVIDER_CONNECTION, "ElevenLabs " + ENDPOINT + " connection failed: " + t, t));
                return;
            }
            onSocketEnd(1006, t.toString(), t);
        }
    }
}
