package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WHIP over real HTTP on 127.0.0.1: status codes, headers and session resources. */
class WhipProtocolTest {

    private static final String TOKEN = "s3cret-token";
    private static WebRtcEngine engine;
    private static WhipServer server;
    private static final List<WebRtcTransport> created = new CopyOnWriteArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();
        engine = WebRtcEngine.start(WebRtcConfig.builder().portRange(40_000, 40_100).build());
        server = WhipServer.builder().whip(WhipHandler.builder()
                .engine(engine)
                .bearerToken(TOKEN)
                .maxSessions(2)
                .onSession(created::add)
                .build()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void closeSessions() {
        created.forEach(WebRtcTransport::close);
        created.clear();
    }

    private static HttpResponse<String> post(String auth, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.whipUri()).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, URI uri, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String validOffer() {
        WebRtcTransport offerer = engine.offer(TransportSettings.defaults());
        String sdp = offerer.localDescription();
        offerer.close();
        return sdp;
    }

    @Test
    void offerIsAnsweredWithLocationAndAllCandidatesThenDeleted() throws Exception {
        HttpResponse<String> res = post("Bearer " + TOKEN, "application/sdp", validOffer());
        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(res.headers().firstValue("Content-Type")).contains("application/sdp");
        String location = res.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/whip/");
        assertThat(res.body()).startsWith("v=0").contains("a=candidate:").contains("opus/48000/2");
        // Port range honoured, TCP candidates off.
        assertThat(res.body().lines().filter(l -> l.startsWith("a=candidate:")))
                .allSatisfy(l -> assertThat(l).contains(" udp ").matches(".* 400\\d\\d .*|.* 40100 .*"));
        assertThat(created).hasSize(1);
        Recorder r = new Recorder();
        created.get(0).start(r);

        URI resource = server.whipUri().resolve(location);
        assertThat(send("PATCH", resource, "Bearer " + TOKEN).statusCode()).isEqualTo(415);
        assertThat(send("PUT", resource, "Bearer " + TOKEN).statusCode()).isEqualTo(405);
        assertThat(send("DELETE", resource, null).statusCode()).isEqualTo(401);
        assertThat(send("DELETE", resource, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(r.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(r.disconnectReasons).containsExactly("the client ended the WHIP session");
        assertThat(server.whipHandler().sessionCount()).isZero();
        assertThat(send("DELETE", resource, "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void requestsWithoutTheRightTokenGet401() throws Exception {
        HttpResponse<String> none = post(null, "application/sdp", validOffer());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(post("Bearer wrong", "application/sdp", validOffer()).statusCode()).isEqualTo(401);
        assertThat(post("Basic " + TOKEN, "application/sdp", validOffer()).statusCode()).isEqualTo(401);
        assertThat(send("DELETE", server.whipUri().resolve("/whip/unknown"), null).statusCode()).isEqualTo(401);
        assertThat(created).isEmpty();
    }

    @Test
    void badOffersGetClearClientErrors() throws Exception {
        String auth = "Bearer " + TOKEN;
        HttpResponse<String> wrongType = post(auth, "application/json", validOffer());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(wrongType.body()).contains("application/sdp");

        HttpResponse<String> garbage = post(auth, "application/sdp", "hello there");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("must start with \"v=0\"");

        String noFingerprint = validOffer().lines().filter(l -> !l.startsWith("a=fingerprint")).reduce("", (a, b) -> a + b + "\r\n");
        HttpResponse<String> insecure = post(auth, "application/sdp", noFingerprint);
        assertThat(insecure.statusCode()).isEqualTo(400);
        assertThat(insecure.body()).contains("a=fingerprint");

        String videoOnly = validOffer().replace("m=audio ", "m=video ");
        assertThat(post(auth, "application/sdp", videoOnly).body()).contains("no audio media section");

        String brokenCodec = validOffer().replaceFirst("a=rtpmap:111 opus/48000/2", "a=rtpmap:111");
        HttpResponse<String> rejected = post(auth, "application/sdp", brokenCodec);
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body()).contains("libwebrtc rejected the remote offer");

        HttpResponse<String> huge = post(auth, "application/sdp", "v=0\r\n" + "a=x\r\n".repeat(20_000));
        assertThat(huge.statusCode()).isEqualTo(413);

        assertThat(send("GET", server.whipUri(), auth).statusCode()).isEqualTo(405);
        assertThat(send("DELETE", server.whipUri().resolve("/whip/nope"), auth).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", server.whipUri().resolve("/whip/a/b"), auth).statusCode()).isEqualTo(404);
        assertThat(created).isEmpty();
        assertThat(engine.activeTransports()).isZero();
    }

    @Test
    void sessionsBeyondTheLimitGet503UntilOneCloses() throws Exception {
        String auth = "Bearer " + TOKEN;
        assertThat(post(auth, "application/sdp", validOffer()).statusCode()).isEqualTo(201);
        assertThat(post(auth, "application/sdp", validOffer()).statusCode()).isEqualTo(201);
        HttpResponse<String> full = post(auth, "application/sdp", validOffer());
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).isPresent();
        created.get(0).close();
        assertThat(post(auth, "application/sdp", validOffer()).statusCode()).isEqualTo(201);
    }

    @Test
    void handlerFailureClosesTheTransportAndAnswers500() {
        WhipHandler failing = WhipHandler.builder().engine(engine).bearerToken(TOKEN)
                .onSession(t -> {
                    throw new IllegalStateException("no agent available");
                }).build();
        WhipResponse res = failing.handle(new WhipRequest("POST", "/whip",
                java.util.Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/sdp"), validOffer().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(res.status()).isEqualTo(500);
        assertThat(res.bodyText()).contains("no agent available");
        assertThat(failing.sessionCount()).isZero();
        assertThat(engine.activeTransports()).isZero();
    }

    @Test
    void builderRefusesMissingTokenAndBadPaths() {
        assertThatThrownBy(() -> WhipHandler.builder().engine(engine).onSession(t -> { }).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bearer token or an authenticator");
        assertThatThrownBy(() -> WhipHandler.builder().engine(engine).bearerToken("x").endpointPath("whip").onSession(t -> { }).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
