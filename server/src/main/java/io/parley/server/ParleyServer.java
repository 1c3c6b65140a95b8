package io.parley.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.group.GroupSession;
import io.parley.session.SessionConfig;
import io.parley.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parley service: group voice sessions ({@link GroupSession}) behind a REST API, a
 * WebSocket protocol and a browser page, stored in SQLite (embedded, the default) or
 * PostgreSQL (several nodes sharing one database).
 *
 * <pre>{@code
 * try (ParleyServer server = ParleyServer.builder().port(8080).dataDir(Path.of("data")).start()) {
 *     System.out.println(server.url() + " admin token " + server.adminToken());
 * }
 * }</pre>
 */
public final class ParleyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);

    private final Db db;
    private final Hub hub;
    private final Scheduler scheduler;
    private final PgEvents events;
    private final WhipEndpoint whip;
    private final Javalin app;
    private final ExecutorService blocking;
    private final String adminToken;
    private final URI url;

    private ParleyServer(Builder b) {
        String jdbc = b.jdbcUrl != null ? b.jdbcUrl : Db.sqliteUrl(b.dataDir);
        if (b.jdbcUrl == null) {
            try {
                java.nio.file.Files.createDirectories(b.dataDir);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot create the data directory " + b.dataDir + ": " + e.getMessage(), e);
            }
        }
        byte[] key = b.encryptionKey != null ? b.encryptionKey : Vault.loadKey(System.getenv("PARLEY_ENCRYPTION_KEY"), b.dataDir);
        Vault vault = new Vault(key);
        this.db = Db.open(jdbc, b.dbUser, b.dbPassword);
        AtomicInteger n = new AtomicInteger();
        this.blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parley-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ServerSettings settings = new ServerSettings(b.nodeId, b.clock, b.speech, b.sessionConfig, b.defaultAgent, b.agents, b.limits,
                b.leaseTtl, b.tick, b.retention, b.requestsPerMinute);
        Store store = new Store(db, vault);
        this.hub = new Hub(store, new Log(db, vault), vault, settings, blocking);
        Api api = new Api(hub);
        WsEndpoint ws = new WsEndpoint(hub, api, blocking);
        this.whip = new WhipEndpoint(hub, api, blocking, b.webRtc);
        try {
            this.adminToken = store.adminToken(hub.now());
            this.app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.http.maxRequestSize = 2_000_000;
                cfg.jetty.host = b.host;
                cfg.jetty.port = b.port;
                cfg.routes.exception(ApiException.class, (e, ctx) -> {
                    Api.send(ctx, e.status(), Json.obj("error", e.code(), "message", e.getMessage()));
                });
                cfg.routes.exception(Db.StoreException.class, (e, ctx) -> {
                    LOG.error("database failure on {} {}", ctx.method(), ctx.path(), e);
                    Api.send(ctx, 500, Json.obj("error", "internal", "message", "the database failed; nothing was changed"));
                });
                cfg.routes.exception(Exception.class, (e, ctx) -> {
                    LOG.error("failure on {} {}", ctx.method(), ctx.path(), e);
                    Api.send(ctx, 500, Json.obj("error", "internal", "message", "internal error"));
                });
                cfg.routes.error(404, ctx -> {
                    String type = ctx.res().getContentType();
                    if (type == null || !type.startsWith("application/json")) {
                        Api.send(ctx, 404, Json.obj("error", "not_found", "message", "no route " + ctx.method() + " " + ctx.path()));
                    }
                });
                cfg.routes.error(413, ctx -> Api.send(ctx, 413, Json.obj("error", "too_large",
                        "message", "request body too large")));
                cfg.routes.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
                cfg.routes.get("/app.js", ctx -> page(ctx, "app.js", "text/javascript; charset=utf-8"));
                api.routes(cfg.routes);
                ws.routes(cfg.routes);
                whip.routes(cfg.routes);
            }).start();
            String base = b.publicUrl != null ? b.publicUrl : "http://" + b.host + ":" + app.port();
            this.url = URI.create(base + "/");
            this.events = db.postgres() ? new PgEvents(jdbc, b.dbUser, b.dbPassword, db.dataSource(), hub::received).start() : null;
            hub.started(base, events);
            this.scheduler = new Scheduler(hub);
            scheduler.start();
        } catch (RuntimeException | SQLException e) {
            blocking.shutdownNow();
            db.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException("cannot listen for events: " + e.getMessage(), e);
        }
    }

    private static void page(Context ctx, String name, String type) throws IOException {
        try (InputStream in = ParleyServer.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            ctx.header("Cache-Control", "no-store").contentType(type).result(in.readAllBytes());
        }
    }

    /** A builder for a server. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the page and API are, e.g. {@code http://127.0.0.1:8080/}. */
    public URI url() {
        return url;
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** A fresh admin token for this run (stored hashed); it creates users with {@code POST /api/users}. */
    public String adminToken() {
        return adminToken;
    }

    /** This node's id in the database's media leases. */
    public String nodeId() {
        return hub.nodeId();
    }

    /** Whether sessions are stored in PostgreSQL (else SQLite). */
    public boolean postgres() {
        return db.postgres();
    }

    /** The live group session of {@code sessionId} on this node, if its media is here. */
    public java.util.Optional<GroupSession> liveSession(String sessionId) {
        LiveSession s = hub.live(sessionId);
        return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.group());
    }

    /** Stops serving: live sessions end here (their stored state stays), leases are released. Idempotent. */
    @Override
    public synchronized void close() {
        scheduler.close();
        hub.close();
        app.stop();
        whip.close();
        if (events != null) {
            events.close();
        }
        blocking.shutdownNow();
        db.close();
    }

    /** Configures a {@link ParleyServer}. */
    public static final class Builder {
        String host = "127.0.0.1";
        int port = 8080;
        Path dataDir = Path.of("parley-data");
        String jdbcUrl;
        String dbUser;
        String dbPassword;
        String publicUrl;
        String nodeId = UUID.randomUUID().toString();
        SpeechProviders speech;
        // Offline recognizers on shared CPUs can take seconds to finalize; waiting beats cutting words.
        SessionConfig sessionConfig = SessionConfig.builder().sttFinalTimeout(Duration.ofSeconds(5)).build();
        AgentFactory defaultAgent = AgentFactory.offline();
        final Map<SessionType, AgentFactory> agents = new EnumMap<>(SessionType.class);
        final Map<SessionMode, Duration> limits = new EnumMap<>(SessionMode.class);
        Duration leaseTtl = Duration.ofSeconds(15);
        Duration tick = Duration.ofSeconds(1);
        Duration retention = Duration.ofDays(30);
        int requestsPerMinute = 600;
        Clock clock = Clock.system();
        byte[] encryptionKey;
        io.parley.transport.webrtc.WebRtcEngine webRtc;

        Builder() {
        }

        /** The interface to listen on [127.0.0.1]. */
        public Builder host(String host) {
            this.host = arg(host, "host");
            return this;
        }

        /** The port [8080]; 0 picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Where the SQLite database and the encryption key live [./parley-data]. */
        public Builder dataDir(Path dir) {
            this.dataDir = arg(dir, "dataDir");
            return this;
        }

        /** A {@code jdbc:postgresql:} (or {@code jdbc:sqlite:}) URL instead of the embedded database. */
        public Builder database(String jdbcUrl, String user, String password) {
            this.jdbcUrl = arg(jdbcUrl, "jdbcUrl");
            this.dbUser = user;
            this.dbPassword = password;
            return this;
        }

        /** The base URL other nodes send clients to for this node's media [http://host:port]. */
        public Builder publicUrl(String url) {
            this.publicUrl = arg(url, "url");
            return this;
        }

        /** This node's id [a random UUID]. */
        public Builder nodeId(String id) {
            this.nodeId = arg(id, "nodeId");
            return this;
        }

        /** Speech providers for voice participants; without them only text participants can connect. */
        public Builder speech(SpeechProviders speech) {
            this.speech = arg(speech, "speech");
            return this;
        }

        /**
         * Turn-taking settings of every participant (endpointing, final-transcript timeout)
         * [{@link SessionConfig#defaults()} with a 5 s final-transcript timeout].
         */
        public Builder sessionConfig(SessionConfig config) {
            this.sessionConfig = arg(config, "sessionConfig");
            return this;
        }

        /** The agent of every session type without its own [{@link AgentFactory#offline()}]. */
        public Builder agent(AgentFactory factory) {
            this.defaultAgent = arg(factory, "agent");
            return this;
        }

        /** The agent of one session type. */
        public Builder agent(SessionType type, AgentFactory factory) {
            agents.put(arg(type, "type"), arg(factory, "agent"));
            return this;
        }

        /** The time limit of a mode's sessions [text_only 2 h, voice_browser 1 h]. */
        public Builder limit(SessionMode mode, Duration limit) {
            arg(mode, "mode");
            if (arg(limit, "limit").toMinutes() < 1) {
                throw new IllegalArgumentException("limits are whole minutes, at least 1");
            }
            limits.put(mode, limit);
            return this;
        }

        /** How long a node's hold on a session's media lasts without renewal [15 s]. */
        public Builder leaseTtl(Duration ttl) {
            this.leaseTtl = arg(ttl, "leaseTtl");
            return this;
        }

        /** How often the scheduler runs [1 s]. */
        public Builder tick(Duration tick) {
            this.tick = arg(tick, "tick");
            return this;
        }

        /** How long ended sessions are kept [30 days]. */
        public Builder retention(Duration retention) {
            this.retention = arg(retention, "retention");
            return this;
        }

        /** Requests a user may make per minute before 429 [600]. */
        public Builder requestsPerMinute(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("requestsPerMinute must be positive");
            }
            this.requestsPerMinute = n;
            return this;
        }

        /**
         * The WebRTC engine for WHIP voice participants, shared with the host (webrtc-java allows
         * one per process) [one started on the first offer, closed with the server].
         */
        public Builder webRtc(io.parley.transport.webrtc.WebRtcEngine engine) {
            this.webRtc = arg(engine, "engine");
            return this;
        }

        /** Time and threads for sessions [{@link Clock#system()}]. */
        public Builder clock(Clock clock) {
            this.clock = arg(clock, "clock");
            return this;
        }

        /** The AES-256 key transcripts are sealed with [PARLEY_ENCRYPTION_KEY, else dataDir/encryption.key]. */
        public Builder encryptionKey(byte[] key) {
            if (arg(key, "key").length != 32) {
                throw new IllegalArgumentException("the encryption key must be 32 bytes");
            }
            this.encryptionKey = key.clone();
            return this;
        }

        private static <T> T arg(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        /** Starts the server; returns when it is listening. */
        public ParleyServer start() {
            return new ParleyServer(this);
        }
    }
}
