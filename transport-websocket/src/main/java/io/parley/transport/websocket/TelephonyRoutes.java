package io.parley.transport.websocket;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.parley.transport.websocket.twilio.TwiML;
import io.parley.transport.websocket.twilio.TwilioSignature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket endpoints of phone and raw-audio calls, on Javalin: install them into
 * your own Javalin with {@link #install(JavalinConfig)}, or run them alone with
 * {@link #start(String, int)}.
 *
 * <pre>{@code
 * TelephonyRoutes routes = TelephonyRoutes.builder()
 *         .stream("/twilio", MediaStreamProtocol.twilio(), call -> sessionFor(call))
 *         .twilioWebhook("/voice", form -> TwiML.connectStream("wss://voice.example.com/twilio"))
 *         .twilioAuthToken(System.getenv("TWILIO_AUTH_TOKEN"), "https://voice.example.com")
 *         .build();
 * TelephonyServer server = routes.start("0.0.0.0", 8080);
 * }</pre>
 */
public final class TelephonyRoutes {

    private static final Logger log = LoggerFactory.getLogger(TelephonyRoutes.class);
    private static final int INPUT_BUFFER_BYTES = 1024;

    private record Stream(String path, MediaStreamProtocol protocol, CallHandler handler) {
    }

    private final List<Stream> streams;
    private final Map<String, Function<Map<String, String>, TwiML>> webhooks;
    private final TwilioSignature signature;
    private final String publicBaseUrl;
    private final StreamSettings settings;
    private final Map<String, StreamEndpoint> connections = new ConcurrentHashMap<>();

    private TelephonyRoutes(Builder b) {
        this.streams = List.copyOf(b.streams);
        this.webhooks = Map.copyOf(b.webhooks);
        this.signature = b.signature;
        this.publicBaseUrl = b.publicBaseUrl;
        this.settings = b.settings;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Calls whose socket is open now. */
    public int activeCalls() {
        return connections.size();
    }

    /** Adds the endpoints to a Javalin being configured. */
    public void install(JavalinConfig config) {
        config.jetty.modifyWebSocketServletFactory(f -> {
            f.setIdleTimeout(Duration.ofMinutes(2));
            // Oversized messages are skipped and counted by the connection, not fatal to the socket.
            f.setMaxTextMessageSize(4L * settings.maxMessageBytes());
            f.setMaxBinaryMessageSize(4L * settings.maxMessageBytes());
            // Jetty starts every text message in a new builder of this many characters (4096 by
            // default): at 50 media messages of ~400 characters a second per call, that was two
            // thirds of the server's garbage. 1 KiB holds a 20 ms media message of any provider.
            f.setInputBufferSize(INPUT_BUFFER_BYTES);
        });
        for (Map.Entry<String, Function<Map<String, String>, TwiML>> w : webhooks.entrySet()) {
            config.routes.post(w.getKey(), ctx -> answerWebhook(ctx, w.getValue()));
        }
        for (Stream s : streams) {
            if (signature != null && s.protocol() == MediaStreamProtocol.twilio()) {
                config.routes.wsBeforeUpgrade(s.path(), this::checkUpgrade);
            }
            config.routes.ws(s.path(), ws -> configure(ws, s));
        }
    }

    /** Runs the endpoints on their own Javalin at {@code host:port} (0 picks a free port). */
    public TelephonyServer start(String host, int port) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.threadPool = serverThreads();
            install(config);
        });
        app.start(host, port);
        return new TelephonyServer(app, this);
    }

    /**
     * The standalone server's threads: Javalin's default pool (up to 250) spreads 200 calls'
     * messages over as many threads, each woken cold; 16 on this 2-core machine cut the soak's
     * server-side p99 from 8.3-11.4 ms to 6.8-9.3 ms (TelephonySoak "200 30 20", 4 runs each).
     * Jetty needs a few threads per core for its selectors and acceptors, hence the scaling.
     */
    static QueuedThreadPool serverThreads() {
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()), 4);
        pool.setName("parley-telephony");
        return pool;
    }

    /** Closes every open call socket; their sessions stop. */
    void closeAll() {
        for (StreamEndpoint c : connections.values()) {
            c.onClose(1001, "server stopping");
        }
    }

    private void configure(WsConfig ws, Stream s) {
        ws.onConnect(ctx -> {
            JavalinSocket wire = new JavalinSocket(ctx);
            StreamEndpoint c = new StreamEndpoint(s.protocol(), s.handler(), settings, wire,
                    conn -> connections.remove(ctx.sessionId(), conn));
            connections.put(ctx.sessionId(), c);
        });
        ws.onMessage(ctx -> {
            StreamEndpoint c = connections.get(ctx.sessionId());
            if (c != null) {
                c.onText(ctx.message());
            }
        });
        ws.onBinaryMessage(ctx -> {
            StreamEndpoint c = connections.get(ctx.sessionId());
            if (c != null) {
                c.onBinary(ctx.data());
            }
        });
        ws.onClose(ctx -> {
            StreamEndpoint c = connections.get(ctx.sessionId());
            if (c != null) {
                c.onClose(ctx.status(), ctx.reason());
            }
        });
        ws.onError(ctx -> {
            StreamEndpoint c = connections.get(ctx.sessionId());
            log.warn("{} socket error", s.protocol().name(), ctx.error());
            if (c != null) {
                c.onClose(1011, "socket error");
            }
        });
    }

    private void checkUpgrade(Context ctx) {
        String url = publicUrl(ctx, true);
        if (!signature.isValid(ctx.header(TwilioSignature.HEADER), url, Map.of())) {
            log.warn("refused media stream upgrade for {}: bad or missing {}", url, TwilioSignature.HEADER);
            throw new ForbiddenResponse("invalid " + TwilioSignature.HEADER);
        }
    }

    private void answerWebhook(Context ctx, Function<Map<String, String>, TwiML> twiml) {
        Map<String, List<String>> form = ctx.formParamMap();
        if (signature != null) {
            String url = publicUrl(ctx, false);
            if (!signature.isValid(ctx.header(TwilioSignature.HEADER), url, form)) {
                log.warn("refused Twilio webhook for {}: bad or missing {}", url, TwilioSignature.HEADER);
                ctx.status(403).json(Map.of("error", "invalid " + TwilioSignature.HEADER));
                return;
            }
        }
        Map<String, String> first = new LinkedHashMap<>();
        form.forEach((k, v) -> first.put(k, v.isEmpty() ? "" : v.get(0)));
        ctx.contentType("text/xml").result(twiml.apply(first).build());
    }

    /** The URL Twilio requested: the configured public base, the path and the query. */
    private String publicUrl(Context ctx, boolean websocket) {
        String base = publicBaseUrl;
        if (websocket) {
            base = base.replaceFirst("^https://", "wss://").replaceFirst("^http://", "ws://");
        }
        String q = ctx.queryString();
        return base + ctx.path() + (q == null || q.isEmpty() ? "" : "?" + q);
    }

    /** A {@link MessageSocket} over a Javalin WebSocket. */
    private static final class JavalinSocket implements MessageSocket {
        private final WsContext ctx;

        JavalinSocket(WsContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void sendText(String text) {
            if (ctx.session.isOpen()) {
                ctx.send(text);
            }
        }

        @Override
        public void sendBinary(byte[] bytes, int length) {
            if (ctx.session.isOpen()) {
                // Jetty writes asynchronously from the buffer, so it gets its own copy.
                ctx.send(java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(bytes, length)));
            }
        }

        @Override
        public void close(int status, String reason) {
            if (ctx.session.isOpen()) {
                String r = reason.length() > 100 ? reason.substring(0, 100) : reason;
                ctx.closeSession(status, r);
            }
        }
    }

    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Configures {@link TelephonyRoutes}. */
    public static final class Builder {
        private final List<Stream> streams = new ArrayList<>();
        private final Map<String, Function<Map<String, String>, TwiML>> webhooks = new LinkedHashMap<>();
        private TwilioSignature signature;
        private String publicBaseUrl;
        private StreamSettings settings = StreamSettings.defaults();

        Builder() {
        }

        /** A media-stream WebSocket at {@code path} speaking {@code protocol}; {@code handler} answers each call. */
        public Builder stream(String path, MediaStreamProtocol protocol, CallHandler handler) {
            streams.add(new Stream(path(path), notNull(protocol, "protocol"), notNull(handler, "handler")));
            return this;
        }

        /**
         * Twilio's voice webhook at {@code path} (POST): {@code twiml} gets the form parameters
         * ({@code CallSid}, {@code From}, {@code To}...) and returns the document to answer with.
         */
        public Builder twilioWebhook(String path, Function<Map<String, String>, TwiML> twiml) {
            webhooks.put(path(path), notNull(twiml, "twiml"));
            return this;
        }

        /**
         * Validates {@code X-Twilio-Signature} on the webhooks and on Twilio stream upgrades.
         *
         * @param publicBaseUrl the scheme and host Twilio calls, such as {@code https://voice.example.com};
         *                      behind a proxy or tunnel the local URL differs from the signed one
         */
        public Builder twilioAuthToken(String authToken, String publicBaseUrl) {
            this.signature = TwilioSignature.of(notNull(authToken, "authToken"));
            String base = notNull(publicBaseUrl, "publicBaseUrl");
            if (!base.matches("^https?://[^/?#]+$")) {
                throw new IllegalArgumentException("publicBaseUrl must be scheme and host only, like https://voice.example.com: " + base);
            }
            this.publicBaseUrl = base;
            return this;
        }

        /** Stream settings [{@link StreamSettings#defaults()}]. */
        public Builder settings(StreamSettings settings) {
            this.settings = notNull(settings, "settings");
            return this;
        }

        /** The routes. */
        public TelephonyRoutes build() {
            if (streams.isEmpty() && webhooks.isEmpty()) {
                throw new IllegalStateException("no stream or webhook configured");
            }
            return new TelephonyRoutes(this);
        }

        private static String path(String p) {
            if (notNull(p, "path").isEmpty() || p.charAt(0) != '/') {
                throw new IllegalArgumentException("path must start with '/': " + p);
            }
            return p;
        }
    }
}
