package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java peers over real WebRTC: Opus DTX cuts the packets of silence, and a peer that vanishes
 * without a WHIP {@code DELETE} is released within 5 s.
 */
class DtxAndTimeoutTest {

    private static final String TOKEN = "t";

    @BeforeAll
    static void network() {
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();
    }

    /** Connected client and server transports of one engine, both pushing silence. */
    private record Pair(WebRtcTransport client, WebRtcTransport server, URI resource) {
    }

    private static Pair connect(WebRtcEngine engine, WhipServer server, CompletableFuture<WebRtcTransport> side) throws Exception {
        WebRtcTransport client = engine.offer(TransportSettings.defaults());
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.whipUri())
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(client.localDescription())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(201);
        client.acceptAnswer(res.body());
        client.start(new Recorder());
        WebRtcTransport agent = side.get(10, TimeUnit.SECONDS);
        agent.start(new Recorder());
        assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
        assertThat(agent.awaitConnected(Duration.ofSeconds(10))).isTrue();
        return new Pair(client, agent, server.whipUri().resolve(res.headers().firstValue("Location").orElseThrow()));
    }

    /** Packets per second each way during 2 s of silence, after 1 s to settle. */
    private static double[] silencePacketRates(boolean dtx) throws Exception {
        return silencePacketRates(WebRtcConfig.builder().opusDtx(dtx).build());
    }

    private static double[] silencePacketRates(WebRtcConfig config) throws Exception {
        CompletableFuture<WebRtcTransport> side = new CompletableFuture<>();
        try (WebRtcEngine engine = WebRtcEngine.start(config);
             WhipServer server = WhipServer.builder().whip(WhipHandler.builder().engine(engine).bearerToken(TOKEN)
                     .onSession(side::complete).build()).start()) {
            Pair p = connect(engine, server, side);
            Thread.sleep(1_000);
            RtpCounters a = p.server().rtpCounters().get(5, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            Thread.sleep(2_000);
            RtpCounters b = p.server().rtpCounters().get(5, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            p.client().close();
            return new double[] {(b.packetsSent() - a.packetsSent()) / seconds, (b.packetsReceived() - a.packetsReceived()) / seconds};
        }
    }

    @Test
    void dtxCutsSilencePacketsByMoreThanEightyPercentBothWays() throws Exception {
        double[] off = silencePacketRates(false);
        double[] on = silencePacketRates(true);
        System.out.printf("silence packets/s without DTX: sent %.1f received %.1f; with DTX: sent %.1f received %.1f%n",
                off[0], off[1], on[0], on[1]);
        assertThat(off[0]).isGreaterThan(40);
        assertThat(off[1]).isGreaterThan(40);
        assertThat(on[0]).isLessThan(off[0] * 0.2);
        assertThat(on[1]).isLessThan(off[1] * 0.2);
    }

    @Test
    void packetTimeSetsThePacketRateBothWays() throws Exception {
        double[] rates = silencePacketRates(WebRtcConfig.builder().opusDtx(false).opusPtimeMillis(40).opusMaxAverageBitrate(16_000).build());
        System.out.printf("ptime 40 ms: sent %.1f received %.1f packets/s%n", rates[0], rates[1]);
        assertThat(rates[0]).isBetween(22.0, 28.0);
        assertThat(rates[1]).isBetween(22.0, 28.0);
    }

    @Test
    void opusSettingsAreWrittenIntoTheDescriptions() {
        String sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\na=rtpmap:111 opus/48000/2\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1;usedtx=0\r\na=ptime:20\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n";
        String out = OpusParams.apply(sdp, WebRtcConfig.builder().opusMaxAverageBitrate(24_000).opusPtimeMillis(60).build());
        assertThat(out).contains("a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1;maxaveragebitrate=24000\r\na=ptime:60\r\n")
                .doesNotContain("a=ptime:20").endsWith("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n");
        assertThat(OpusParams.apply("v=0\r\nm=audio 9 RTP/AVP 0\r\n", WebRtcConfig.defaults())).isEqualTo("v=0\r\nm=audio 9 RTP/AVP 0\r\n");
    }

    @Test
    void aPeerThatVanishesIsReleasedWithinFiveSeconds() throws Exception {
        CompletableFuture<WebRtcTransport> side = new CompletableFuture<>();
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults());
             WhipServer server = WhipServer.builder().whip(WhipHandler.builder().engine(engine).bearerToken(TOKEN)
                     .onSession(side::complete).build()).start()) {
            Pair p = connect(engine, server, side);
            CompletableFuture<Long> released = new CompletableFuture<>();
            p.server().onClose(() -> released.complete(System.nanoTime()));
            long gone = System.nanoTime();
            // No DELETE: the client's peer connection simply disappears, like a killed tab.
            p.client().close();
            long ms = TimeUnit.NANOSECONDS.toMillis(released.get(10, TimeUnit.SECONDS) - gone);
            System.out.println("vanished peer released after " + ms + " ms");
            assertThat(ms).isLessThan(5_000);
            assertThat(server.whipHandler().sessionCount()).isZero();
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(p.resource()).header("Authorization", "Bearer " + TOKEN)
                    .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        }
    }
}
