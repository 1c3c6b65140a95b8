package io.parley.transport.webrtc;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP signalling (RFC 9725) for sessions a client starts: {@code POST} an SDP offer to the
 * endpoint, get {@code 201 Created} with the answer (all ICE candidates inlined, no trickle)
 * and a {@code Location} for the session resource; {@code DELETE} that resource to hang up.
 * Independent of any HTTP server: feed it {@link WhipRequest}s, or use {@link WhipServer}.
 *
 * <p>Every request must carry {@code Authorization: Bearer <token>} (else 401). Offers must be
 * {@code application/sdp} (else 415), at most {@link #maxBodyBytes()} (else 413) and usable
 * SDP (else 400 with the reason). Unknown sessions get 404; {@code PATCH} (trickle ICE and ICE
 * restarts) gets 405, as the RFC prescribes for servers without them. At
 * {@code maxSessions} open sessions new offers get 503.
 *
 * <p>Each new transport goes to the {@link SessionHandler} before the 201 is sent; it usually
 * builds a voice session on it. A transport closed by the application disappears from the
 * endpoint; one deleted through WHIP tells its listener {@code onDisconnected} and closes.
 */
public final class WhipHandler {

    /** Receives each transport WHIP creates. */
    @FunctionalInterface
    public interface SessionHandler {
        /**
         * Called on the HTTP thread before the answer is returned; keep it short (start a session,
         * do not run one). Throwing closes the transport and fails the request with 500.
         */
        void onSession(WebRtcTransport transport);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WhipHandler.class);

    private final WebRtcEngine engine;
    private final String endpointPath;
    private final byte[] expectedAuth;
    private final TransportSettings settings;
    private final SessionHandler sessionHandler;
    private final int maxSessions;
    private final int maxBodyBytes;
    private final Map<String, WebRtcTransport> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();

    private WhipHandler(Builder b) {
        this.engine = Objects.requireNonNull(b.engine, "engine");
        this.sessionHandler = Objects.requireNonNull(b.sessionHandler, "sessionHandler");
        if (b.bearerToken == null || b.bearerToken.isBlank()) {
            throw new IllegalArgumentException("a bearer token is required; every WHIP request is authenticated");
        }
        if (!b.endpointPath.startsWith("/") || b.endpointPath.endsWith("/") && b.endpointPath.length() > 1) {
            throw new IllegalArgumentException("endpointPath must start with / and not end with /, was " + b.endpointPath);
        }
        if (b.maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, was " + b.maxSessions);
        }
        if (b.maxBodyBytes < 1024 || b.maxBodyBytes > Sdp.MAX_CHARS) {
            throw new IllegalArgumentException("maxBodyBytes must be within 1024.." + Sdp.MAX_CHARS + ", was " + b.maxBodyBytes);
        }
        this.endpointPath = b.endpointPath;
        this.expectedAuth = ("Bearer " + b.bearerToken).getBytes(StandardCharsets.UTF_8);
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.maxSessions = b.maxSessions;
        this.maxBodyBytes = b.maxBodyBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Path offers are posted to, e.g. {@code /whip}; session resources live below it. */
    public String endpointPath() {
        return endpointPath;
    }

    /** Largest accepted request body. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Open sessions created through this endpoint. */
    public int sessionCount() {
        return sessions.size();
    }

    /** The open transport with this id, or null. */
    public WebRtcTransport session(String id) {
        return sessions.get(id);
    }

    /** Handles one request; never throws for bad input, which becomes a 4xx response. */
    public WhipResponse handle(WhipRequest request) {
        if (!authorized(request.authorization())) {
            return WhipResponse.text(401, "missing or wrong bearer token", Map.of("WWW-Authenticate", "Bearer"));
        }
        String path = request.path();
        if (path.equals(endpointPath)) {
            return switch (request.method()) {
                case "POST" -> create(request);
                case "OPTIONS" -> new WhipResponse(204, Map.of("Allow", "POST, OPTIONS"), null, null);
                default -> WhipResponse.text(405, request.method() + " is not allowed on the WHIP endpoint", Map.of("Allow", "POST, OPTIONS"));
            };
        }
        String prefix = endpointPath + "/";
        if (!path.startsWith(prefix) || path.indexOf('/', prefix.length()) >= 0) {
            return WhipResponse.text(404, "no such resource: " + path);
        }
        WebRtcTransport t = sessions.get(path.substring(prefix.length()));
        if (t == null) {
            return WhipResponse.text(404, "no such session: " + path);
        }
        return switch (request.method()) {
            case "DELETE" -> {
                t.closeByPeer("the client ended the WHIP session");
                yield new WhipResponse(200, Map.of(), null, null);
            }
            case "PATCH" -> WhipResponse.text(405, "trickle ICE and ICE restarts are not supported; send all candidates in the offer", Map.of("Allow", "DELETE"));
            default -> WhipResponse.text(405, request.method() + " is not allowed on a WHIP session", Map.of("Allow", "DELETE"));
        };
    }

    private WhipResponse create(WhipRequest request) {
        String type = request.contentType();
        if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase("application/sdp")) {
            return WhipResponse.text(415, "the offer must be sent as Content-Type: application/sdp, was " + type);
        }
        if (request.body().length > maxBodyBytes) {
            return WhipResponse.text(413, "the offer exceeds " + maxBodyBytes + " bytes");
        }
        if (reserved.incrementAndGet() > maxSessions) {
            reserved.decrementAndGet();
            return WhipResponse.text(503, "at capacity: " + maxSessions + " sessions are open", Map.of("Retry-After", "5"));
        }
        WebRtcTransport transport;
        try {
            transport = engine.answer(new String(request.body(), StandardCharsets.UTF_8), settings);
        } catch (IllegalArgumentException e) {
            reserved.decrementAndGet();
            return WhipResponse.text(400, "bad offer: " + e.getMessage());
        } catch (SessionException e) {
            reserved.decrementAndGet();
            LOG.error("WHIP offer could not be answered", e);
            int status = e.code() == ErrorCode.TIMEOUT ? 504 : e.code() == ErrorCode.TRANSPORT_CLOSED ? 503 : 500;
            return WhipResponse.text(status, e.getMessage());
        } catch (RuntimeException e) {
            reserved.decrementAndGet();
            LOG.error("WHIP offer could not be answered", e);
            return WhipResponse.text(500, "internal error while answering the offer: " + e);
        }
        String id = transport.id();
        sessions.put(id, transport);
        transport.onClose(() -> {
            if (sessions.remove(id) != null) {
                reserved.decrementAndGet();
            }
        });
        try {
            sessionHandler.onSession(transport);
        } catch (RuntimeException e) {
            LOG.error("WHIP session handler failed for transport {}", id, e);
            transport.close();
            return WhipResponse.text(500, "the application could not start a session: " + e.getMessage());
        }
        return new WhipResponse(201, Map.of("Location", endpointPath + "/" + id), "application/sdp",
                transport.localDescription().getBytes(StandardCharsets.UTF_8));
    }

    private boolean authorized(String header) {
        // Constant-time comparison: the token is a secret.
        return header != null && MessageDigest.isEqual(expectedAuth, header.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** Builder for {@link WhipHandler}. */
    public static final class Builder {
        private WebRtcEngine engine;
        private String endpointPath = "/whip";
        private String bearerToken;
        private TransportSettings settings = TransportSettings.defaults();
        private SessionHandler sessionHandler;
        private int maxSessions = 100;
        private int maxBodyBytes = 64 * 1024;

        private Builder() {
        }

        public Builder engine(WebRtcEngine engine) {
            this.engine = engine;
            return this;
        }

        /** Where offers are posted [{@code /whip}]. */
        public Builder endpointPath(String path) {
            this.endpointPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /** The token clients must send as {@code Authorization: Bearer <token>}; required. */
        public Builder bearerToken(String token) {
            this.bearerToken = token;
            return this;
        }

        /** Audio settings for each new transport [16 kHz mono]. */
        public Builder transportSettings(TransportSettings settings) {
            this.settings = settings;
            return this;
        }

        /** Receives every new transport; required. */
        public Builder onSession(SessionHandler handler) {
            this.sessionHandler = handler;
            return this;
        }

        /** Most sessions open at once [100]. */
        public Builder maxSessions(int max) {
            this.maxSessions = max;
            return this;
        }

        /** Largest request body accepted [64 KiB]. */
        public Builder maxBodyBytes(int max) {
            this.maxBodyBytes = max;
            return this;
        }

        public WhipHandler build() {
            return new WhipHandler(this);
        }
    }
}
