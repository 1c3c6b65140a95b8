package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RFC 9725 parts beyond offer/answer, fed straight to the handler: ICE servers in
 * {@code Link}, ETags, trickle and ICE restart by {@code PATCH}, CORS, and per-user tokens.
 */
class WhipIceTest {

    private static final String FRAG = "application/trickle-ice-sdpfrag";
    private static WebRtcEngine engine;
    private static WhipHandler whip;
    private static final List<WebRtcTransport> created = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();
        engine = WebRtcEngine.start(WebRtcConfig.builder().portRange(40_200, 40_300).build());
        whip = WhipHandler.builder().engine(engine)
                .authenticator(token -> token.startsWith("user-") ? token.substring(5) : null)
                .advertiseIceServers(List.of(IceServer.stun("stun:stun.example.net:3478"),
                        IceServer.turn("turn:turn.example.net:3478?transport=udp", "alice", "p\"w")))
                .allowOrigins("https://app.example.com")
                .onSession(created::add)
                .build();
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void closeSessions() {
        created.forEach(WebRtcTransport::close);
        created.clear();
    }

    private static WhipResponse request(String method, String path, String user, Map<String, String> headers, String body) {
        Map<String, String> h = new HashMap<>(headers);
        if (user != null) {
            h.put("Authorization", "Bearer user-" + user);
        }
        return whip.handle(new WhipRequest(method, path, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String offer() {
        WebRtcTransport offerer = engine.offer(TransportSettings.defaults());
        String sdp = offerer.localDescription();
        offerer.close();
        return sdp;
    }

    @Test
    void createdSessionAdvertisesIceServersETagAndPatch() {
        WhipResponse res = request("POST", "/whip", "alice", Map.of("Content-Type", "application/sdp"), offer());
        assertThat(res.status()).isEqualTo(201);
        assertThat(res.header("ETag")).matches("\"[A-Za-z0-9_-]{12}\"");
        assertThat(res.header("Accept-Patch")).isEqualTo(FRAG);
        assertThat(res.header("Link")).isEqualTo("<stun:stun.example.net:3478>; rel=\"ice-server\", "
                + "<turn:turn.example.net:3478?transport=udp>; rel=\"ice-server\"; username=\"alice\"; credential=\"p\\\"w\"; "
                + "credential-type=\"password\"");
        assertThat(created).singleElement().satisfies(t -> assertThat(t.principal()).isEqualTo("alice"));
        // Opus as configured: DTX on, 20 ms packets, in the answer the browser's encoder follows.
        assertThat(res.bodyText()).containsPattern("a=fmtp:111 .*usedtx=1").contains("a=ptime:20");
    }

    @Test
    void patchTricklesWithTheETagAndRestartsIceWithAnyETag() {
        WhipResponse created201 = request("POST", "/whip", "alice", Map.of("Content-Type", "application/sdp"), offer());
        String path = created201.header("Location");
        String etag = created201.header("ETag");
        IceFragment answerIce = IceFragment.of(created201.bodyText());

        String trickle = "a=mid:0\r\na=candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host\r\n";
        assertThat(request("PATCH", path, "alice", Map.of("Content-Type", FRAG), trickle).status()).isEqualTo(428);
        assertThat(request("PATCH", path, "alice", Map.of("Content-Type", "application/sdp", "If-Match", etag), trickle).status())
                .isEqualTo(415);
        assertThat(request("PATCH", path, "alice", Map.of("Content-Type", FRAG, "If-Match", "\"stale\""), trickle).status())
                .isEqualTo(412);
        WhipResponse trickled = request("PATCH", path, "alice", Map.of("Content-Type", FRAG, "If-Match", etag), trickle);
        assertThat(trickled.status()).isEqualTo(204);
        assertThat(request("PATCH", path, "bob", Map.of("Content-Type", FRAG, "If-Match", etag), trickle).status())
                .as("another user's session does not exist for bob").isEqualTo(404);

        String restart = "a=ice-ufrag:Rst1\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2122260223 192.0.2.10 50001 typ host\r\na=end-of-candidates\r\n";
        WhipResponse restarted = request("PATCH", path, "alice", Map.of("Content-Type", FRAG, "If-Match", "*"), restart);
        assertThat(restarted.status()).as(restarted.bodyText()).isEqualTo(200);
        assertThat(restarted.contentType()).isEqualTo(FRAG);
        assertThat(restarted.header("ETag")).isNotEqualTo(etag);
        IceFragment ours = IceFragment.parse(restarted.bodyText());
        assertThat(ours.ufrag()).isNotEmpty().isNotEqualTo(answerIce.ufrag());
        assertThat(ours.pwd()).isNotEqualTo(answerIce.pwd());
        assertThat(ours.candidates()).isNotEmpty();
        assertThat(ours.mid()).isEqualTo("0");
        // The old ICE session's ETag no longer trickles.
        assertThat(request("PATCH", path, "alice", Map.of("Content-Type", FRAG, "If-Match", etag), trickle).status()).isEqualTo(412);
        assertThat(request("PATCH", path, "alice", Map.of("Content-Type", FRAG, "If-Match", restarted.header("ETag")),
                "a=mid:0\r\na=candidate:2 1 udp 2122260223 192.0.2.11 50002 typ host\r\n").status()).isEqualTo(204);
        assertThat(request("PATCH", path, "alice", Map.of("Content-Type", FRAG, "If-Match", "*"), "a=ice-ufrag:x\r\n").status())
                .isEqualTo(400);
    }

    @Test
    void corsPreflightNeedsNoTokenAndOnlyAllowedOriginsGetHeaders() {
        WhipResponse preflight = request("OPTIONS", "/whip", null,
                Map.of("Origin", "https://app.example.com", "Access-Control-Request-Method", "POST"), null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("PATCH", "DELETE");
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization", "If-Match");
        WhipResponse foreign = request("OPTIONS", "/whip", null, Map.of("Origin", "https://evil.example"), null);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();

        WhipResponse res = request("POST", "/whip", "carol",
                Map.of("Content-Type", "application/sdp", "Origin", "https://app.example.com"), offer());
        assertThat(res.status()).isEqualTo(201);
        assertThat(res.header("Access-Control-Expose-Headers")).contains("Location", "ETag", "Link");
        assertThat(request("POST", "/whip", "", Map.of("Content-Type", "application/sdp"), offer()).status()).isEqualTo(401);
    }

    @Test
    void fragmentsRoundTripAndApplyToAnOffer() {
        String sdp = offer();
        IceFragment f = new IceFragment("NewU", "0123456789abcdefghijklmn", "0", List.of("candidate:9 1 udp 1 192.0.2.1 9 typ host"), true);
        String applied = f.applyTo(sdp);
        assertThat(IceFragment.of(applied)).isEqualTo(f);
        assertThat(applied.lines().filter(l -> l.startsWith("a=ice-ufrag:"))).allMatch(l -> l.equals("a=ice-ufrag:NewU"));
        assertThat(IceFragment.parse(f.format())).isEqualTo(f);
    }
}
