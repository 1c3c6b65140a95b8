package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * A loopback ElevenLabs speaking the TTS socket protocols: it demands the single-space first
 * message, buffers text until {@code flush} / end of input, then "synthesizes" it as base64 PCM
 * chunks with per-character alignment (every character lasts {@link #CHAR_MS} ms), sends
 * {@code isFinal} only after {@code {"text":""}} (or per context after {@code close_context}),
 * and answers malformed input with the documented error frame and a 1008 close.
 */
final class FakeElevenLabs implements AutoCloseable {

    static final String KEY = "xi-test-key";
    static final int CHAR_MS = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    final MockWebServer server = new MockWebServer();
    final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();
    final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    final Deque<MockResponse> httpResponses = new ArrayDeque<>();
    private final Deque<MockResponse> handshakeFailures = new ArrayDeque<>();
    /** Reply with snake_case {@code context_id}/{@code is_final}, as observed since 2026-05. */
    volatile boolean snakeCase;

    FakeElevenLabs() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                if (!KEY.equals(request.getHeader("xi-api-key"))) {
                    return detail(401, "invalid_api_key", "Invalid API key");
                }
                String path = request.getRequestUrl().encodedPath();
                synchronized (httpResponses) {
                    if (path.endsWith("stream-input") && !handshakeFailures.isEmpty()) {
                        return handshakeFailures.removeFirst();
                    }
                    if (path.endsWith("/stream") && !httpResponses.isEmpty()) {
                        return httpResponses.removeFirst();
                    }
                }
                if (path.endsWith("stream-input")) {
                    Conn c = new Conn(request, path.endsWith("/multi-stream-input"));
                    return new MockResponse().withWebSocketUpgrade(c);
                }
                return new MockResponse().setResponseCode(404).setBody("{\"detail\":\"Not Found\"}");
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    void failNextHandshake(MockResponse r) {
        synchronized (httpResponses) {
            handshakeFailures.add(r);
        }
    }

    void enqueueHttp(MockResponse r) {
        synchronized (httpResponses) {
            httpResponses.add(r);
        }
    }

    static MockResponse detail(int status, String detailStatus, String message) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setHeader("x-trace-id", "7f1e2d3c4b5a").setHeader("server", "uvicorn")
                .setBody("{\"detail\":{\"status\":\"" + detailStatus + "\",\"message\":\"" + message + "\"}}");
    }

    /** Deterministic PCM for character {@code index} of a reply at {@code rate}. */
    static byte[] pcmForChar(int index, int rate) {
        int samples = rate * CHAR_MS / 1000;
        Buffer b = new Buffer();
        for (int i = 0; i < samples; i++) {
            b.writeShortLe(index * 101 + i);
        }
        return b.readByteArray();
    }

    Conn nextConnection() throws InterruptedException {
        Conn c = connections.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("client did not connect within 10 s");
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    /** Server side of one socket. */
    final class Conn extends WebSocketListener {
        final RecordedRequest request;
        final boolean multi;
        final int rate;
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final BlockingQueue<String> closedBy = new LinkedBlockingQueue<>();
        /** When set, the client's close frame is never answered (a stuck peer). */
        volatile boolean ignoreClose;
        final CountDownLatch open = new CountDownLatch(1);
        /** When false, the test scripts every server message itself. */
        volatile boolean auto = true;
        volatile WebSocket ws;
        private final Map<String, StringBuilder> buffers = new HashMap<>();
        private final Map<String, Integer> charsSpoken = new HashMap<>();
        private boolean started;

        Conn(RecordedRequest request, boolean multi) {
            this.request = request;
            this.multi = multi;
            this.rate = Integer.parseInt(request.getRequestUrl().queryParameter("output_format").substring(4));
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            ws = webSocket;
            open.countDown();
            connections.add(this);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (IOException e) {
                error("invalid_input_message",
                        "Could not parse input message, make sure it is a json and follows the schema outlined in protocol.", null);
                return;
            }
            received.add(m);
            if (auto) {
                react(m);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            closedBy.add("client:" + code);
            if (!ignoreClose) {
                webSocket.close(1000, null);
            }
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            closedBy.add("failure:" + t);
        }

        private synchronized void react(JsonNode m) {
            if (m.path("close_socket").asBoolean(false)) {
                for (String ctx : buffers.keySet().toArray(String[]::new)) {
                    synthesize(ctx);
                    sendFinal(ctx);
                }
                ws.close(1000, null);
                return;
            }
            String ctx = multi ? m.path("context_id").asText(null) : "";
            if (ctx == null) {
                error("invalid_input_message", "context_id is required", null);
                return;
            }
            if (!m.has("text") && !m.path("close_context").asBoolean(false)) {
                error("invalid_input_message",
                        "Could not parse input message, make sure it is a json and follows the schema outlined in protocol.", ctx);
                return;
            }
            StringBuilder buf = buffers.get(ctx);
            if (buf == null) {
                if (!" ".equals(m.path("text").asText(null))) {
                    error("invalid_input_message", "The first message must contain a single space as text.", multi ? ctx : null);
                    return;
                }
                buffers.put(ctx, new StringBuilder());
                charsSpoken.put(ctx, 0);
                started = true;
                return;
            }
            if (m.path("close_context").asBoolean(false)) {
                synthesize(ctx);
                sendFinal(ctx);
                buffers.remove(ctx);
                return;
            }
            String text = m.path("text").asText();
            if (!multi && text.isEmpty()) { // end of input
                synthesize(ctx);
                sendFinal(ctx);
                ws.close(1000, null);
                return;
            }
            if (text.isEmpty() || text.equals(" ") && buf.length() == 0) {
                return; // keep-alive
            }
            buf.append(text);
            if (m.path("flush").asBoolean(false)) {
                synthesize(ctx);
                if (multi) {
                    ObjectNode done = JSON.createObjectNode().put("type", "flush_done");
                    done.put(snakeCase ? "context_id" : "contextId", ctx);
                    ws.send(done.toString());
                }
            }
        }

        /** Speaks the context's buffer as one chunk: base64 PCM plus chunk-relative alignment. */
        private void synthesize(String ctx) {
            StringBuilder buf = buffers.get(ctx);
            if (buf == null || buf.length() == 0) {
                return;
            }
            int first = charsSpoken.get(ctx);
            Buffer audio = new Buffer();
            ObjectNode al = JSON.createObjectNode();
            ArrayNode chars = al.putArray("chars");
            ArrayNode starts = al.putArray("charStartTimesMs");
            ArrayNode durs = al.putArray("charDurationsMs");
            for (int i = 0; i < buf.length(); i++) {
                audio.write(pcmForChar(first + i, rate));
                chars.add(String.valueOf(buf.charAt(i)));
                starts.add(i * CHAR_MS);
                durs.add(CHAR_MS);
            }
            charsSpoken.put(ctx, first + buf.length());
            buf.setLength(0);
            ObjectNode msg = JSON.createObjectNode().put("audio", Base64.getEncoder().encodeToString(audio.readByteArray()));
            msg.putNull("isFinal");
            msg.set("normalizedAlignment", al);
            msg.set("alignment", al.deepCopy());
            if (multi) {
                msg.put(snakeCase ? "context_id" : "contextId", ctx);
            }
            ws.send(msg.toString());
        }

        private void sendFinal(String ctx) {
            ObjectNode fin = JSON.createObjectNode().put(snakeCase ? "is_final" : "isFinal", true);
            if (multi) {
                fin.put(snakeCase ? "context_id" : "contextId", ctx);
            }
            ws.send(fin.toString());
        }

        /** The documented error frame, then (without a context) a close with the same code and the message as reason. */
        void error(String error, String message, String ctx) {
            ObjectNode e = JSON.createObjectNode().put("message", message).put("error", error).put("code", 1008);
            if (ctx != null) {
                e.put("contextId", ctx);
                ws.send(e.toString());
                return;
            }
            ws.send(e.toString());
            ws.close(1008, message.length() > 120 ? message.substring(0, 120) : message);
        }

        /** What ElevenLabs does after inactivity_timeout seconds without input. */
        void inputTimeout() {
            error("input_timeout_exceeded", "Have not received a new text input within the timeout of 20.0 seconds. Streaming input "
                    + "terminated. Please make sure to either feed the input in the timely manner, or to send the end of input text "
                    + "(empty string \"\") when done.", null);
        }

        JsonNode next() throws InterruptedException {
            JsonNode n = received.poll(10, TimeUnit.SECONDS);
            if (n == null) {
                throw new AssertionError("client sent nothing within 10 s");
            }
            return n;
        }

        boolean started() {
            synchronized (this) {
                return started;
            }
        }
    }
}
