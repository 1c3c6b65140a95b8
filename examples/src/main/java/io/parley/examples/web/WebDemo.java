package io.parley.examples.web;

import com.sun.net.httpserver.HttpExchange;
import io.parley.audio.AudioFormat;
import io.parley.session.AgentCallback;
import io.parley.session.ErrorCode;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.VoiceSession;
import io.parley.transport.webrtc.TransportSettings;
import io.parley.transport.webrtc.WebRtcConfig;
import io.parley.transport.webrtc.WebRtcEngine;
import io.parley.transport.webrtc.WebRtcTransport;
import io.parley.transport.webrtc.WhipHandler;
import io.parley.transport.webrtc.WhipServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser demo: serves a page where a person talks to a Parley agent over WebRTC. The
 * page posts its offer to the WHIP endpoint {@code /whip}; each connection becomes a
 * {@link VoiceSession} on a {@link WebRtcTransport}; the page follows the session through
 * server-sent events at {@code /events/<session id>}.
 *
 * <p>The server listens on 127.0.0.1 by default. A random bearer token, embedded into the page
 * it serves, guards the endpoints, so other local users cannot start sessions blindly.
 */
public final class WebDemo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebDemo.class);
    private static final String RESOURCES = "/io/parley/examples/web/";
    /** How long one event-stream read waits before sending a keep-alive comment. */
    private static final long KEEPALIVE_MILLIS = 15_000;

    private final DemoProviders providers;
    private final Function<String, SessionConfig> sessionConfig;
    private final AgentCallback agent;
    private final java.util.List<SessionListener> extraListeners;
    private final String token;
    private final byte[] tokenBytes;
    private final WebRtcEngine engine;
    private final WhipServer server;
    private final Map<String, Live> sessions = new ConcurrentHashMap<>();

    /** A running session and its event log. */
    private record Live(VoiceSession session, SessionEvents events) {
    }

    private WebDemo(Builder b) {
        this.providers = Objects.requireNonNull(b.providers, "providers");
        this.sessionConfig = b.sessionConfig;
        this.agent = b.agent;
        this.extraListeners = java.util.List.copyOf(b.listeners);
        this.token = b.token != null ? b.token : randomToken();
        this.tokenBytes = token.getBytes(StandardCharsets.UTF_8);
        this.engine = WebRtcEngine.start(b.webrtc);
        try {
            WhipHandler whip = WhipHandler.builder()
                    .engine(engine)
                    .bearerToken(token)
                    .maxSessions(b.maxSessions)
                    .transportSettings(TransportSettings.builder().format(AudioFormat.PCM_16K_MONO).build())
                    .onSession(this::startSession)
                    .build();
            this.server = WhipServer.builder()
                    .address(b.address)
                    .threads(4 + 2 * b.maxSessions)
                    .whip(whip)
                    .route("/", this::servePage)
                    .route("/events/", this::serveEvents)
                    .start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where the page is, e.g. {@code http://127.0.0.1:8080/}. */
    public URI pageUri() {
        return server.baseUri().resolve("/");
    }

    /** The bearer token guarding the endpoints. */
    public String token() {
        return token;
    }

    /** The running session with this id (the WHIP resource id), or null. */
    public VoiceSession session(String id) {
        Live l = sessions.get(id);
        return l == null ? null : l.session();
    }

    /** Ids of the sessions running now. */
    public java.util.Set<String> sessionIds() {
        return java.util.Set.copyOf(sessions.keySet());
    }

    private void startSession(WebRtcTransport transport) {
        String id = transport.id();
        SessionEvents events = new SessionEvents();
        VoiceSession.Builder builder = VoiceSession.builder();
        extraListeners.forEach(builder::listener);
        VoiceSession session = builder
                .stt(providers.stt())
                .tts(providers.tts())
                .vad(providers.vad())
                .transport(transport)
                .agent(agent)
                .listener(events)
                .config(sessionConfig.apply(id))
                .build();
        sessions.put(id, new Live(session, events));
        // However the transport ends (page hang-up, engine shutdown), the session ends with it.
        transport.onClose(() -> session.stopAsync().whenComplete((v, e) -> {
            events.end();
            sessions.remove(id);
        }));
        session.startAsync().whenComplete((v, e) -> {
            if (e != null) {
                events.onError(SessionException.wrap(ErrorCode.INTERNAL_ERROR, e));
                LOG.error("demo session {} did not start", id, e);
                transport.close();
            } else {
                session.say(DemoAgent.GREETING);
            }
        });
    }

    private void servePage(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("GET")) {
                respond(ex, 405, "text/plain; charset=utf-8", "only GET here".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/") || path.equals("/index.html")) {
                String page = resource("index.html")
                        .replace("{{TOKEN}}", token)
                        .replace("{{PROVIDERS}}", htmlEscape(providers.description()));
                respond(ex, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/app.js")) {
                respond(ex, 200, "text/javascript; charset=utf-8", resource("app.js").getBytes(StandardCharsets.UTF_8));
            } else {
                respond(ex, 404, "text/plain; charset=utf-8", ("not found: " + path).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void serveEvents(HttpExchange ex) throws IOException {
        try (ex) {
            String query = ex.getRequestURI().getRawQuery();
            String given = query != null && query.startsWith("token=") ? java.net.URLDecoder.decode(query.substring(6), StandardCharsets.UTF_8) : "";
            if (!MessageDigest.isEqual(tokenBytes, given.getBytes(StandardCharsets.UTF_8))) {
                respond(ex, 401, "text/plain; charset=utf-8", "missing or wrong token".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String id = ex.getRequestURI().getPath().substring("/events/".length());
            Live live = sessions.get(id);
            if (live == null) {
                respond(ex, 404, "text/plain; charset=utf-8", ("no such session: " + id).getBytes(StandardCharsets.UTF_8));
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            long cursor = 0;
            while (true) {
                SessionEvents.Batch batch = live.events().next(cursor, KEEPALIVE_MILLIS);
                StringBuilder b = new StringBuilder();
                for (String e : batch.events()) {
                    b.append("data: ").append(e).append("\n\n");
                }
                if (batch.events().isEmpty()) {
                    b.append(": keep-alive\n\n");
                }
                out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                cursor = batch.next();
                if (batch.finished()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = WebDemo.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("missing demo resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String randomToken() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Ends every session, stops serving and releases WebRTC. */
    @Override
    public void close() {
        for (Live l : sessions.values()) {
            l.session().stop();
            l.events().end();
        }
        server.close();
        engine.close();
    }

    /** Builder for {@link WebDemo}. */
    public static final class Builder {
        private DemoProviders providers;
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        private WebRtcConfig webrtc = WebRtcConfig.defaults();
        private AgentCallback agent = new DemoAgent(java.time.Clock.systemDefaultZone());
        private Function<String, SessionConfig> sessionConfig = id -> SessionConfig.builder()
                .sessionId(id)
                .timeout(Duration.ofMinutes(10))
                .build();
        private String token;
        private int maxSessions = 4;
        private final java.util.List<SessionListener> listeners = new java.util.ArrayList<>();

        private Builder() {
        }

        /** Speech providers for every session; required. */
        public Builder providers(DemoProviders providers) {
            this.providers = providers;
            return this;
        }

        /** Where to listen [127.0.0.1:8080]; port 0 picks a free one. */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** ICE settings [host candidates only]. */
        public Builder webrtc(WebRtcConfig config) {
            this.webrtc = Objects.requireNonNull(config, "webrtc");
            return this;
        }

        /** The agent [the demo's offline intents]. */
        public Builder agent(AgentCallback agent) {
            this.agent = Objects.requireNonNull(agent, "agent");
            return this;
        }

        /** Session behaviour, given the session id [defaults, 10 min timeout]. */
        public Builder sessionConfig(Function<String, SessionConfig> config) {
            this.sessionConfig = Objects.requireNonNull(config, "sessionConfig");
            return this;
        }

        /** Also observes every session (logging, metrics, tests). */
        public Builder listener(SessionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** A fixed bearer token instead of a random one. */
        public Builder token(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
            this.token = token;
            return this;
        }

        /** Most simultaneous sessions [4]. */
        public Builder maxSessions(int max) {
            if (max < 1 || max > 64) {
                throw new IllegalArgumentException("maxSessions must be within 1..64, was " + max);
            }
            this.maxSessions = max;
            return this;
        }

        /** Starts serving. */
        public WebDemo start() {
            return new WebDemo(this);
        }
    }
}
