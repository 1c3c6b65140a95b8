package io.parley.providers.deepgram;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.ByteString;

/**
 * A loopback Deepgram: checks the {@code Authorization: Token} header like the real service
 * (401 with the documented JSON body and a {@code dg-error} header), answers scripted
 * handshake failures, and hands each accepted websocket to the test as a {@link Conn}.
 */
final class FakeDeepgram implements AutoCloseable {

    static final String KEY = "test-key";

    final MockWebServer server = new MockWebServer();
    final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();
    final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    private final Deque<MockResponse> scriptedFailures = new ArrayDeque<>();
    /** Reacts to every client message of every later connection, on the server's reader thread. */
    volatile Responder responder;

    /** A server-side behaviour. */
    interface Responder {
        void onMessage(Conn conn, Object message);
    }

    FakeDeepgram() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                if (!("Token " + KEY).equals(request.getHeader("Authorization"))) {
                    return error(401, "INVALID_AUTH", "Invalid credentials.");
                }
                synchronized (scriptedFailures) {
                    if (!scriptedFailures.isEmpty()) {
                        return scriptedFailures.removeFirst();
                    }
                }
                Conn c = new Conn(request);
                return new MockResponse().setHeader("dg-request-id", "52cc0efe-fa77-4aa7-b79c-0dda09de2f14")
                        .withWebSocketUpgrade(c);
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    String baseUrl() {
        return "ws://127.0.0.1:" + server.getPort();
    }

    /** The next handshake fails with this status and Deepgram-style error body. */
    void failNextHandshake(int status, String errCode, String errMsg) {
        synchronized (scriptedFailures) {
            scriptedFailures.add(error(status, errCode, errMsg));
        }
    }

    static MockResponse error(int status, String errCode, String errMsg) {
        return new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setHeader("dg-error", errMsg)
                .setHeader("dg-request-id", "0b3f1b5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
                .setBody("{\"err_code\":\"" + errCode + "\",\"err_msg\":\"" + errMsg
                        + "\",\"request_id\":\"0b3f1b5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b\"}");
    }

    Conn nextConnection() throws InterruptedException {
        Conn c = connections.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("client did not connect within 10 s");
        }
        c.awaitOpen();
        return c;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    /** Server side of one accepted socket; messages the client sent arrive in {@link #received}. */
    final class Conn extends WebSocketListener {
        final RecordedRequest request;
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final BlockingQueue<String> closedBy = new LinkedBlockingQueue<>();
        private final java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
        volatile WebSocket ws;

        Conn(RecordedRequest request) {
            this.request = request;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            ws = webSocket;
            open.countDown();
            connections.add(this);
        }

        void awaitOpen() throws InterruptedException {
            if (!open.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("socket did not open");
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            received.add(text);
            respond(text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            received.add(bytes);
            respond(bytes);
        }

        private void respond(Object message) {
            Responder r = responder;
            if (r != null) {
                r.onMessage(this, message);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            closedBy.add("client:" + code);
            webSocket.close(1000, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            closedBy.add("failure:" + t);
        }

        /** Next message the client sent, waiting at most 10 s. */
        Object next() throws InterruptedException {
            Object o = received.poll(10, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError("client sent nothing within 10 s");
            }
            return o;
        }

        /** Next text frame, skipping (and returning in {@code audio}) binary frames before it. */
        String nextText(okio.Buffer audio) throws InterruptedException {
            while (true) {
                Object o = next();
                if (o instanceof String s) {
                    return s;
                }
                if (audio != null) {
                    audio.write((ByteString) o);
                }
            }
        }

        /** Reads binary frames until {@code bytes} bytes arrived; fails on a text frame. */
        ByteString readAudio(long bytes) throws InterruptedException {
            okio.Buffer b = new okio.Buffer();
            while (b.size() < bytes) {
                Object o = next();
                if (!(o instanceof ByteString bs)) {
                    throw new AssertionError("expected audio, got text " + o);
                }
                b.write(bs);
            }
            return b.readByteString();
        }

        void send(String json) {
            ws.send(json);
        }

        void close(int code, String reason) {
            ws.close(code, reason);
        }
    }
}
