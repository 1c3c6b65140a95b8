package io.parley.transport.webrtc;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP signalling (RFC 9725) for sessions a client starts. Independent of any HTTP server: feed
 * it {@link WhipRequest}s from yours (a servlet, a proxy), mount it on a Javalin of yours with
 * {@link WhipRoutes#install}, or run it alone on {@link WhipServer}.
 * <ul>
 *   <li>{@code POST} an SDP offer ({@code application/sdp}) to the endpoint: {@code 201 Created}
 *       with the answer (all our ICE candidates inlined), {@code Location} of the session
 *       resource, its {@code ETag}, {@code Accept-Patch} and one {@code Link rel="ice-server"}
 *       per advertised STUN/TURN URL (with TURN credentials).</li>
 *   <li>{@code PATCH} the resource with {@code application/trickle-ice-sdpfrag}: new ICE
 *       credentials restart ICE ({@code If-Match: "*"} or the current ETag; {@code 200} with our
 *       new credentials and candidates and a new ETag); candidates alone are trickled
 *       ({@code If-Match} with the current ETag; {@code 204}). A wrong ETag gets 412, none 428.</li>
 *   <li>{@code DELETE} the resource to hang up ({@code 200}); a browser does it on page unload
 *       with {@code fetch(..., {keepalive: true})}. Peers that vanish without it are released
 *       by {@link WebRtcConfig#consentTimeout()}.</li>
 *   <li>{@code OPTIONS} needs no credentials (browsers send CORS preflights without them).</li>
 * </ul>
 *
 * <p>Authentication: every other request carries {@code Authorization: Bearer <token>}, which
 * an {@link Authenticator} turns into a principal (else 401); the session resource then
 * answers only requests of the same principal (others get 404, as if it did not exist), and
 * {@link WebRtcTransport#principal()} tells the application who opened it. A single shared
 * token is {@link Builder#bearerToken}; per-user tokens are {@link Builder#authenticator}.
 *
 * <p>Validation: offers must be {@code application/sdp} (else 415), at most
 * {@link #maxBodyBytes()} (else 413) and usable SDP (else 400 with the reason). At
 * {@code maxSessions} open sessions new offers get 503 with {@code Retry-After}.
 *
 * <p>CORS: requests whose {@code Origin} is among {@link Builder#allowOrigins} get the CORS
 * headers, with {@code Location}, {@code ETag}, {@code Link} and {@code Accept-Patch} exposed;
 * other origins get none, so browsers keep their pages from reading the answers.
 *
 * <p>Each new transport goes to the {@link SessionHandler} before the 201 is sent; it usually
 * builds a voice session on it (with an {@link EventChannel}). A transport closed by the
 * application disappears from the endpoint; one deleted through WHIP tells its listener
 * {@code onDisconnected} and closes.
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

    /**
     * Decides who a bearer token belongs to. Called on the HTTP thread for every request but
     * {@code OPTIONS}; it must be fast and thread-safe and must not throw for bad tokens.
     */
    @FunctionalInterface
    public interface Authenticator {
        /**
         * @param bearerToken the token after {@code Bearer }, never null (empty when missing)
         * @return the principal (a user id, never empty) the token belongs to, or null to refuse
         *         the request with 401
         */
        String authenticate(String bearerToken);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WhipHandler.class);
    private static final String SDP = "application/sdp";

    private final WebRtcEngine engine;
    private final String endpointPath;
    private final Authenticator authenticator;
    private final TransportSettings settings;
    private final SessionHandler sessionHandler;
    private final int maxSessions;
    private final int maxBodyBytes;
    private final String links;
    private final Set<String> allowedOrigins;
    private final Map<String, Resource> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    /** A session resource: its transport, who opened it, and the ETag of its ICE session. */
    private static final class Resource {
        final WebRtcTransport transport;
        final String principal;
        volatile String etag;

        Resource(WebRtcTransport transport, String principal, String etag) {
            this.transport = transport;
            this.principal = principal;
            this.etag = etag;
        }
    }

    private WhipHandler(Builder b) {
        this.engine = Objects.requireNonNull(b.engine, "engine");
        this.sessionHandler = Objects.requireNonNull(b.sessionHandler, "sessionHandler");
        if (b.authenticator == null) {
            throw new IllegalArgumentException("a bearer token or an authenticator is required; every WHIP request is authenticated");
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
        this.authenticator = b.authenticator;
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.maxSessions = b.maxSessions;
        this.maxBodyBytes = b.maxBodyBytes;
        this.links = linkHeader(b.advertised != null ? b.advertised : engine.config().iceServers());
        this.allowedOrigins = Set.copyOf(b.origins);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Path offers are posted to, e.g. {@code /whip}; session resources live below it. */
    public String endpointPath() {
        return endpointPath;
    }

    /**
     * The ICE servers advertised to clients, as the value of the {@code Link} header of each
     * {@code 201} (empty when there are none); a page the application serves can embed it to
     * configure its peer connection before it offers.
     */
    public String iceServerLinks() {
        return links;
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
        Resource r = sessions.get(id);
        return r == null ? null : r.transport;
    }

    /** Handles one request; never throws for bad input, which becomes a 4xx response. */
    public WhipResponse handle(WhipRequest request) {
        return route(request).withHeaders(cors(request));
    }

    private WhipResponse route(WhipRequest request) {
        String path = request.path();
        boolean endpoint = path.equals(endpointPath);
        String prefix = endpointPath + "/";
        boolean resource = path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0 && path.length() > prefix.length();
        if (!endpoint && !resource) {
            return WhipResponse.text(404, "no such resource: " + path);
        }
        if (request.method().equals("OPTIONS")) {
            return new WhipResponse(204, endpoint
                    ? Map.of("Allow", "POST, OPTIONS", "Accept-Post", SDP)
                    : Map.of("Allow", "PATCH, DELETE, OPTIONS", "Accept-Patch", IceFragment.MEDIA_TYPE), null, null);
        }
        String principal = authenticate(request.header("Authorization"));
        if (principal == null) {
            return WhipResponse.text(401, "missing or wrong bearer token", Map.of("WWW-Authenticate", "Bearer"));
        }
        if (endpoint) {
            return request.method().equals("POST") ? create(request, principal)
                    : WhipResponse.text(405, request.method() + " is not allowed on the WHIP endpoint", Map.of("Allow", "POST, OPTIONS"));
        }
        Resource r = sessions.get(path.substring(prefix.length()));
        if (r == null || !r.principal.equals(principal)) {
            return WhipResponse.text(404, "no such session: " + path);
        }
        return switch (request.method()) {
            case "DELETE" -> {
                r.transport.closeByPeer("the client ended the WHIP session");
                yield new WhipResponse(200, Map.of(), null, null);
            }
            case "PATCH" -> patch(r, request);
            default -> WhipResponse.text(405, request.method() + " is not allowed on a WHIP session",
                    Map.of("Allow", "PATCH, DELETE, OPTIONS"));
        };
    }

    private WhipResponse create(WhipRequest request, String principal) {
        String type = request.header("Content-Type");
        if (!isType(type, SDP)) {
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
        transport.principal(principal);
        Resource resource = new Resource(transport, principal, newEtag());
        sessions.put(id, resource);
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
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", endpointPath + "/" + id);
        headers.put("ETag", resource.etag);
        headers.put("Accept-Patch", IceFragment.MEDIA_TYPE);
        if (!links.isEmpty()) {
            headers.put("Link", links);
        }
        return new WhipResponse(201, headers, SDP, transport.localDescription().getBytes(StandardCharsets.UTF_8));
    }

    private WhipResponse patch(Resource r, WhipRequest request) {
        if (!isType(request.header("Content-Type"), IceFragment.MEDIA_TYPE)) {
            return WhipResponse.text(415, "PATCH takes Content-Type: " + IceFragment.MEDIA_TYPE,
                    Map.of("Accept-Patch", IceFragment.MEDIA_TYPE));
        }
        if (request.body().length > IceFragment.MAX_CHARS) {
            return WhipResponse.text(413, "the fragment exceeds " + IceFragment.MAX_CHARS + " bytes");
        }
        String ifMatch = request.header("If-Match");
        if (ifMatch == null) {
            return WhipResponse.text(428, "PATCH needs If-Match: the session's ETag, or \"*\" to restart ICE");
        }
        IceFragment fragment;
        try {
            fragment = IceFragment.parse(new String(request.body(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return WhipResponse.text(400, "bad fragment: " + e.getMessage());
        }
        String match = ifMatch.trim();
        synchronized (r) {
            boolean restart = fragment.restartsIce(r.transport.remoteIceUfrag());
            if (restart ? !(match.equals("*") || match.equals(r.etag)) : !match.equals(r.etag)) {
                return WhipResponse.text(412, "If-Match " + match + " does not match the session's ICE session " + r.etag);
            }
            try {
                if (!restart) {
                    r.transport.addRemoteCandidates(fragment);
                    return new WhipResponse(204, Map.of("ETag", r.etag), null, null);
                }
                IceFragment local = r.transport.restartIce(fragment);
                r.etag = newEtag();
                return new WhipResponse(200, Map.of("ETag", r.etag), IceFragment.MEDIA_TYPE,
                        local.format().getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return WhipResponse.text(400, "libwebrtc refused the fragment: " + e.getMessage());
            } catch (SessionException e) {
                LOG.error("WHIP PATCH failed for transport {}", r.transport.id(), e);
                int status = e.code() == ErrorCode.TRANSPORT_CLOSED ? 404 : e.code() == ErrorCode.TIMEOUT ? 504 : 500;
                return WhipResponse.text(status, e.getMessage());
            }
        }
    }

    private Map<String, String> cors(WhipRequest request) {
        String origin = request.header("Origin");
        if (origin == null || !(allowedOrigins.contains(origin) || allowedOrigins.contains("*"))) {
            return Map.of();
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Access-Control-Allow-Origin", origin);
        h.put("Vary", "Origin");
        h.put("Access-Control-Expose-Headers", "Location, ETag, Link, Accept-Patch, Accept-Post, Retry-After");
        if (request.method().equals("OPTIONS")) {
            h.put("Access-Control-Allow-Methods", "POST, PATCH, DELETE, OPTIONS");
            h.put("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
            h.put("Access-Control-Max-Age", "600");
        }
        return h;
    }

    private String authenticate(String header) {
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        String principal = authenticator.authenticate(token);
        return principal == null || principal.isEmpty() ? null : principal;
    }

    private static boolean isType(String header, String type) {
        return header != null && header.split(";", 2)[0].trim().equalsIgnoreCase(type);
    }

    private String newEtag() {
        byte[] b = new byte[9];
        random.nextBytes(b);
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\"";
    }

    /** One {@code Link} value per ICE server URL, as RFC 9725 section 4.6 describes. */
    static String linkHeader(List<IceServer> servers) {
        List<String> values = new ArrayList<>();
        for (IceServer s : servers) {
            for (String url : s.urls()) {
                StringBuilder v = new StringBuilder("<").append(url).append(">; rel=\"ice-server\"");
                if (!s.username().isEmpty()) {
                    v.append("; username=\"").append(quoted(s.username())).append('"')
                            .append("; credential=\"").append(quoted(s.credential())).append('"')
                            .append("; credential-type=\"password\"");
                }
                values.add(v.toString());
            }
        }
        return String.join(", ", values);
    }

    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Builder for {@link WhipHandler}. */
    public static final class Builder {
        private WebRtcEngine engine;
        private String endpointPath = "/whip";
        private Authenticator authenticator;
        private TransportSettings settings = TransportSettings.defaults();
        private SessionHandler sessionHandler;
        private int maxSessions = 100;
        private int maxBodyBytes = 64 * 1024;
        private List<IceServer> advertised;
        private final Set<String> origins = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder engine(WebRtcEngine engine) {
            Checks.notNull(engine, "engine");
            this.engine = engine;
            return this;
        }

        /** Where offers are posted [{@code /whip}]. */
        public Builder endpointPath(String path) {
            Checks.notNull(path, "path");
            this.endpointPath = path;
            return this;
        }

        /**
         * One token every client sends as {@code Authorization: Bearer <token>}; its principal is
         * {@code "bearer"}. Replaces any {@link #authenticator}.
         */
        public Builder bearerToken(String token) {
            Checks.notNull(token, "token");
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("the bearer token must not be blank");
            }
            byte[] expected = token.getBytes(StandardCharsets.UTF_8);
            // Constant-time comparison: the token is a secret.
            this.authenticator = given -> MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8)) ? "bearer" : null;
            return this;
        }

        /** Per-user tokens: who each bearer token belongs to. Replaces any {@link #bearerToken}. */
        public Builder authenticator(Authenticator authenticator) {
            Checks.notNull(authenticator, "authenticator");
            this.authenticator = authenticator;
            return this;
        }

        /** Audio settings for each new transport [16 kHz mono]. */
        public Builder transportSettings(TransportSettings settings) {
            Checks.notNull(settings, "settings");
            this.settings = settings;
            return this;
        }

        /** Receives every new transport; required. */
        public Builder onSession(SessionHandler handler) {
            Checks.notNull(handler, "handler");
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

        /**
         * STUN/TURN servers advertised to clients in {@code Link} headers [the engine's own,
         * {@link WebRtcConfig#iceServers()}]; set this when clients need other ones (per-user
         * TURN credentials, public addresses).
         */
        public Builder advertiseIceServers(List<IceServer> servers) {
            Checks.notNull(servers, "servers");
            this.advertised = List.copyOf(servers);
            return this;
        }

        /**
         * Origins (e.g. {@code https://app.example.com}) whose pages may call the endpoint from a
         * browser, or {@code "*"} for any [none: only pages served from the same origin].
         */
        public Builder allowOrigins(String... origins) {
            Checks.notNull(origins, "origins");
            for (String o : origins) {
                if (o == null || o.isBlank() || o.endsWith("/")) {
                    throw new IllegalArgumentException("an origin is scheme://host[:port] without a trailing slash, or *; was " + o);
                }
                this.origins.add(o);
            }
            return this;
        }

        public WhipHandler build() {
            return new WhipHandler(this);
        }
    }
}
