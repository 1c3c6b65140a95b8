package io.parley.examples.web;

import io.javalin.http.Context;
import io.parley.audio.AudioFormat;
import io.parley.session.AgentCallback;
import io.parley.session.ErrorCode;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.VoiceSession;
import io.parley.transport.webrtc.EventChannel;
import io.parley.transport.webrtc.TransportSettings;
import io.parley.transport.webrtc.WebRtcConfig;
import io.parley.transport.webrtc.WebRtcEngine;
import io.parley.transport.webrtc.WebRtcTransport;
import io.parley.transport.webrtc.WhipHandler;
import io.parley.transport.webrtc.WhipServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import javax.net.ssl.SSLContext;
import org.slf4j.LoggerFactory;

/**
 * The browser demo: serves a page where a person talks to a Parley agent over WebRTC, as extra
 * routes on the {@link WhipServer}'s Javalin. The page posts its offer to the WHIP endpoint
 * {@code /whip}; each connection becomes a
 * {@link VoiceSession} on a {@link WebRtcTransport}; the page follows the session, and sends
 * typed turns, mute and interrupt, over the connection's {@code parley-events} data channel
 * ({@link EventChannel}), so any WHIP client gets the same events.
 *
 * <p>The server listens on 127.0.0.1 by default. A random bearer token, embedded into the page
 * it serves, guards the endpoints, so other local users cannot start sessions blindly. Other
 * devices need HTTPS for their microphone: give {@link Builder#tls} a keystore, or put the demo
 * behind a TLS-terminating proxy.
 */
public final class WebDemo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebDemo.class);
    private static final String RESOURCES = "/io/parley/examples/web/";

    private final DemoProviders providers;
    private final Function<String, SessionConfig> sessionConfig;
    private final AgentCallback agent;
    private final java.util.List<SessionListener> extraListeners;
    private final String token;
    private final WebRtcEngine engine;
    private final WhipServer server;
    private final WhipHandler whip;
    private final Map<String, VoiceSession> sessions = new ConcurrentHashMap<>();

    private WebDemo(Builder b) {
        this.providers = Objects.requireNonNull(b.providers, "providers");
        this.sessionConfig = b.sessionConfig;
        this.agent = b.agent;
        this.extraListeners = java.util.List.copyOf(b.listeners);
        this.token = b.token != null ? b.token : randomToken();
        this.engine = WebRtcEngine.start(b.webrtc);
        try {
            this.whip = WhipHandler.builder()
                    .engine(engine)
                    .bearerToken(token)
                    .maxSessions(b.maxSessions)
                    .transportSettings(TransportSettings.builder().format(AudioFormat.PCM_16K_MONO).build())
                    .allowOrigins(b.origins.toArray(String[]::new))
                    .onSession(this::startSession)
                    .build();
            WhipServer.Builder server = WhipServer.builder()
                    .address(b.address)
                    .threads(4 + b.maxSessions)
                    .whip(whip)
                    .configure(config -> config.routes
                            .get("/", this::servePage)
                            .get("/index.html", this::servePage)
                            .get("/app.js", ctx -> respond(ctx, "text/javascript; charset=utf-8", resource("app.js"))));
            if (b.tls != null) {
                server.tls(b.tls);
            }
            this.server = server.start();
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
        return sessions.get(id);
    }

    /** Ids of the sessions running now. */
    public java.util.Set<String> sessionIds() {
        return java.util.Set.copyOf(sessions.keySet());
    }

    private void startSession(WebRtcTransport transport) {
        String id = transport.id();
        VoiceSession.Builder builder = VoiceSession.builder();
        extraListeners.forEach(builder::listener);
        VoiceSession session = builder
                .stt(providers.stt())
                .tts(providers.tts())
                .vad(providers.vad())
                .transport(transport)
                .agent(agent)
                .config(sessionConfig.apply(id))
                .build();
        // Before the start, so the page sees every event from the first state change on.
        EventChannel events = EventChannel.attach(session, transport);
        sessions.put(id, session);
        // However the transport ends (page hang-up, reload, engine shutdown), the session ends with it.
        transport.onClose(() -> session.stopAsync().whenComplete((v, e) -> sessions.remove(id)));
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

    private void servePage(Context ctx) throws IOException {
        String page = resource("index.html")
                .replace("{{TOKEN}}", token)
                .replace("{{ICE_SERVERS}}", htmlEscape(whip.iceServerLinks()))
                .replace("{{PROVIDERS}}", htmlEscape(providers.description()));
        respond(ctx, "text/html; charset=utf-8", page);
    }

    private static void respond(Context ctx, String type, String body) {
        // The page embeds this run's token; no cache may keep it.
        ctx.header("Cache-Control", "no-store").contentType(type).result(body);
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
        for (VoiceSession s : sessions.values()) {
            s.stop();
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
        private final java.util.List<String> origins = new java.util.ArrayList<>();
        private SSLContext tls;

        private Builder() {
        }

        /** Speech providers for every session; required. */
        public Builder providers(DemoProviders providers) {
            notNull(providers, "providers");
            this.providers = providers;
            return this;
        }

        /** Where to listen [127.0.0.1:8080]; port 0 picks a free one. */
        public Builder address(InetSocketAddress address) {
            this.address = notNull(address, "address");
            return this;
        }

        /**
         * Serves HTTPS with the key in a PKCS#12 keystore, so that other devices may use their
         * microphones [plain HTTP, fine on localhost].
         */
        public Builder tls(java.nio.file.Path keystore, char[] password) {
            this.tls = WhipServer.sslContext(keystore, password);
            return this;
        }

        /** Other origins whose pages may use this demo's WHIP endpoint [none]. */
        public Builder allowOrigins(String... origins) {
            notNull(origins, "origins");
            this.origins.addAll(java.util.List.of(origins));
            return this;
        }

        /** ICE and Opus settings [host candidates only, DTX on]; its ICE servers go to the page too. */
        public Builder webrtc(WebRtcConfig config) {
            this.webrtc = notNull(config, "webrtc");
            return this;
        }

        /** The agent [the demo's offline intents]. */
        public Builder agent(AgentCallback agent) {
            this.agent = notNull(agent, "agent");
            return this;
        }

        /** Session behaviour, given the session id [defaults, 10 min timeout]. */
        public Builder sessionConfig(Function<String, SessionConfig> config) {
            this.sessionConfig = notNull(config, "sessionConfig");
            return this;
        }

        /** Also observes every session (logging, metrics, tests). */
        public Builder listener(SessionListener listener) {
            listeners.add(notNull(listener, "listener"));
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

        private static <T> T notNull(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        /** Starts serving. */
        public WebDemo start() {
            return new WebDemo(this);
        }
    }
}
