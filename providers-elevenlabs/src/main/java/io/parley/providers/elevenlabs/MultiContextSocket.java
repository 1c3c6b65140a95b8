package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsRequest;
import io.parley.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * One {@code multi-stream-input} socket shared by successive replies of the same voice and
 * format, each a context. Cancelling a reply closes its context and leaves the socket up, so
 * a barge-in costs no reconnect. The socket is closed with {@code close_socket} after it has
 * had no context for the provider's idle period.
 */
final class MultiContextSocket {

    private static final Logger log = LoggerFactory.getLogger(MultiContextSocket.class);
    static final String ENDPOINT = "multi-stream-input";

    private final ElevenLabsTts provider;
    private final String key;
    private final Clock clock;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final Object lock = new Object();
    private final Map<String, ContextReply> contexts = new HashMap<>();
    private final WebSocket socket;
    private boolean dead;
    private int nextContext;
    private Clock.Cancellable idleTimer;
    private final ServerMessage message = new ServerMessage();

    MultiContextSocket(ElevenLabsTts provider, String key, TtsRequest request) {
        this.provider = provider;
        this.key = key;
        this.clock = provider.clock();
        Request http = provider.socketRequest(request, ENDPOINT);
        this.socket = provider.client().newWebSocket(http, new Connection());
    }

    String key() {
        return key;
    }

    /** Waits for the upgrade; throws the mapped failure. */
    void awaitOpen() {
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
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION, "interrupted while connecting to ElevenLabs", e);
        }
    }

    boolean usable() {
        synchronized (lock) {
            return !dead;
        }
    }

    /**
     * Starts a reply in a new context.
     *
     * @throws SessionException {@link ErrorCode#PROVIDER_CONNECTION} (retryable) if the socket
     *         died since it was looked up
     */
    ContextReply openContext(TtsRequest request, TtsListener listener, ObjectNode firstMessage) {
        ContextReply reply;
        synchronized (lock) {
            if (dead) {
                throw new SessionException(ErrorCode.PROVIDER_CONNECTION, "the ElevenLabs " + ENDPOINT + " socket closed; open again");
            }
            if (idleTimer != null) {
                idleTimer.cancel();
                idleTimer = null;
            }
            String id = "parley-" + (++nextContext);
            reply = new ContextReply(this, id, request, listener, provider);
            contexts.put(id, reply);
        }
        reply.start(firstMessage);
        return reply;
    }

    void send(String json) {
        socket.send(json);
    }

    /** A context is over; arms the idle timer when it was the last one. */
    void release(String contextId) {
        synchronized (lock) {
            contexts.remove(contextId);
            if (contexts.isEmpty() && !dead) {
                if (idleTimer != null) {
                    idleTimer.cancel();
                }
                idleTimer = clock.schedule(this::closeIfIdle, provider.idleSocketTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    private void closeIfIdle() {
        synchronized (lock) {
            if (!contexts.isEmpty() || dead) {
                return;
            }
            dead = true;
        }
        provider.forget(this);
        socket.send("{\"close_socket\":true}");
        clock.schedule(socket::cancel, provider.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes the socket now, failing any context still running. */
    void shutdown() {
        List<ContextReply> live;
        synchronized (lock) {
            dead = true;
            live = new ArrayList<>(contexts.values());
        }
        for (ContextReply r : live) {
            r.cancel();
        }
        socket.send("{\"close_socket\":true}");
        clock.schedule(socket::cancel, provider.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onEnd(int code, String reason, Throwable cause, SessionException error) {
        List<ContextReply> live;
        synchronized (lock) {
            dead = true;
            live = new ArrayList<>(contexts.values());
            if (idleTimer != null) {
                idleTimer.cancel();
            }
        }
        provider.forget(this);
        for (ContextReply r : live) {
            if (error != null) {
                r.fail(error);
            } else {
                r.onSocketEnd(code, reason, cause);
            }
        }
    }

    private ContextReply context(String id) {
        synchronized (lock) {
            return contexts.get(id);
        }
    }

    private final class Connection extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            ServerMessage m;
            try {
                m = message.parse(text);
            } catch (SessionException e) {
                webSocket.cancel();
                onEnd(1002, null, null, e);
                return;
            }
            if (m.contextId != null) {
                ContextReply r = context(m.contextId);
                if (r != null) {
                    r.onServerMessage(m);
                } else {
                    log.debug("ignoring message for closed context {}", m.contextId);
                }
            } else if (m.error != null) {
                // A socket-wide error (e.g. the socket idled out): every context on it is affected.
                onEnd(m.code, m.message, null, ElevenLabsErrors.fromErrorFrame(m.error, m.message, m.code));
            } else {
                log.debug("ignoring ElevenLabs message without context (type {})", m.type);
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            log.warn("ignoring unexpected {}-byte binary frame from ElevenLabs {}", bytes.size(), ENDPOINT);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            onEnd(code, reason, null, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            onEnd(code, reason, null, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            if (!opened.isDone()) {
                synchronized (lock) {
                    dead = true;
                }
                provider.forget(MultiContextSocket.this);
                opened.completeExceptionally(response != null && response.code() != 101
                        ? ElevenLabsErrors.fromResponse(ENDPOINT, response)
                        : new SessionException(ErrorCode.PROVIDER_CONNECTION, "ElevenLabs " + ENDPOINT + " connection failed: " + t, t));
                return;
            }
            onEnd(1006, t.toString(), t, null);
        }
    }
}
