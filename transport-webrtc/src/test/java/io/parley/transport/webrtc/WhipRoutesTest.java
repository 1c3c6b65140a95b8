package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * WHIP mounted into a host application's own Javalin (under a context path, next to its own
 * route), over real HTTP: CORS preflight, the exposed headers of a 201, PATCH with the ETag,
 * DELETE through the returned Location, and 413 for an oversized offer.
 */
class WhipRoutesTest {

    private static final String TOKEN = "host-token";
    private static final String ORIGIN = "https://app.example.com";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void hostJavalinServesWhipUnderItsContextPath() throws Exception {
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();
        List<WebRtcTransport> created = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder();
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.builder()
                .addIceServer(IceServer.stun("stun:stun.example.net:3478")).build())) {
            WhipHandler whip = WhipHandler.builder().engine(engine).bearerToken(TOKEN).maxBodyBytes(4096)
                    .allowOrigins(ORIGIN)
                    .onSession(t -> {
                        created.add(t);
                        t.start(recorder);
                    }).build();
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.router.contextPath = "/app";
                WhipRoutes.install(config, whip);
                config.routes.get("/hello", ctx -> ctx.result("host route"));
            }).start("127.0.0.1", 0);
            try {
                URI base = URI.create("http://127.0.0.1:" + app.port() + "/app/");
                assertThat(send(HttpRequest.newBuilder(base.resolve("hello")).GET()).body()).isEqualTo("host route");

                HttpResponse<String> preflight = send(HttpRequest.newBuilder(base.resolve("whip"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST"));
                assertThat(preflight.statusCode()).isEqualTo(204);
                assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
                assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PATCH");

                WebRtcTransport offerer = engine.offer(TransportSettings.defaults());
                String offer = offerer.localDescription();
                offerer.close();
                HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("whip"))
                        .POST(HttpRequest.BodyPublishers.ofString(offer)).header("Origin", ORIGIN)
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/sdp"));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                assertThat(answer.body()).startsWith("v=0");
                assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
                assertThat(answer.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("ETag", "Location");
                assertThat(answer.headers().firstValue("Link")).contains("<stun:stun.example.net:3478>; rel=\"ice-server\"");
                String location = answer.headers().firstValue("Location").orElseThrow();
                assertThat(location).as("the resource is under the host's context path").startsWith("/app/whip/");
                String etag = answer.headers().firstValue("ETag").orElseThrow();

                URI resource = base.resolve(location);
                String trickle = "a=mid:0\r\na=candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host\r\n";
                HttpResponse<String> stale = send(HttpRequest.newBuilder(resource)
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(trickle)).header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/trickle-ice-sdpfrag").header("If-Match", "\"stale\""));
                assertThat(stale.statusCode()).isEqualTo(412);
                HttpResponse<String> trickled = send(HttpRequest.newBuilder(resource)
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(trickle)).header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/trickle-ice-sdpfrag").header("If-Match", etag));
                assertThat(trickled.statusCode()).isEqualTo(204);
                assertThat(trickled.headers().firstValue("ETag")).contains(etag);

                HttpResponse<String> get = send(HttpRequest.newBuilder(base.resolve("whip")).GET().header("Authorization", "Bearer " + TOKEN));
                assertThat(get.statusCode()).isEqualTo(405);
                assertThat(get.headers().firstValue("Allow")).contains("POST, OPTIONS");

                HttpResponse<String> huge = send(HttpRequest.newBuilder(base.resolve("whip"))
                        .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n" + "a=x\r\n".repeat(20_000)))
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/sdp"));
                assertThat(huge.statusCode()).isEqualTo(413);

                HttpResponse<String> deleted = send(HttpRequest.newBuilder(resource).DELETE().header("Authorization", "Bearer " + TOKEN));
                assertThat(deleted.statusCode()).isEqualTo(200);
                assertThat(recorder.disconnected.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(whip.sessionCount()).isZero();
                assertThat(created).hasSize(1);
            } finally {
                app.stop();
                created.forEach(WebRtcTransport::close);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
