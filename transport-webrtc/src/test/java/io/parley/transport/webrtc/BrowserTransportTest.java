package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.parley.audio.AudioFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Real headless Chromium against the WHIP server: the browser's fake microphone plays a
 * 523 Hz tone, Java answers with 660 Hz; each side measures what it received.
 */
class BrowserTransportTest {

    private static final String TOKEN = "browser-token";

    @Test
    void chromiumAndJavaHearEachOther() throws Exception {
        assumeThat(HeadlessChromium.installed()).as("Chromium is not installed at " + HeadlessChromium.BINARY
                + " (Debian package chromium); this test drives a real browser").isTrue();
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();

        CompletableFuture<String> result = new CompletableFuture<>();
        Recorder atJava = new Recorder();
        CompletableFuture<WebRtcTransport> session = new CompletableFuture<>();
        Path wav = HeadlessChromium.toneWav(523, 0.5, 2);
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults());
             WhipServer server = WhipServer.builder()
                     .whip(WhipHandler.builder().engine(engine).bearerToken(TOKEN).onSession(t -> {
                         t.start(atJava);
                         t.send(Tone.sine(AudioFormat.PCM_16K_MONO, 660, 0.5, 8_000));
                         session.complete(t);
                     }).build())
                     .configure(config -> config.routes
                             .get("/page", ctx -> ctx.html(resource("tone-page.html")))
                             .post("/result", ctx -> {
                                 try (InputStream in = ctx.bodyInputStream()) {
                                     result.complete(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
                                 }
                                 ctx.status(204);
                             }))
                     .start();
             HeadlessChromium browser = HeadlessChromium.open(server.baseUri().resolve("/page?token=" + TOKEN), wav)) {

            String json;
            try {
                json = result.get(45, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the page reported nothing within 45 s; browser output:\n" + browser.output(), e);
            }
            System.out.println("browser reported: " + json);
            assertThat(json).doesNotContain("\"error\"");
            double peakHz = number(json, "peakHz");
            double rms = number(json, "rms");
            assertThat(peakHz).as("browser's AnalyserNode peak (bins of 5.9 Hz)").isCloseTo(660, Offset.offset(8.0));
            assertThat(rms).as("browser-side RMS of a 0.5 peak sine").isBetween(0.25, 0.5);
            assertThat(number(json, "packetsReceived")).isGreaterThan(50);
            assertThat(number(json, "packetsLost")).isZero();
            assertThat(json).contains("\"contextState\":\"running\"");

            WebRtcTransport t = session.get(1, TimeUnit.SECONDS);
            assertThat(atJava.disconnected.await(10, TimeUnit.SECONDS)).as("the page's DELETE reached the session").isTrue();
            assertThat(t.stats().receivedChunks()).isGreaterThan(100);
            short[] s = atJava.snapshot();
            int start = atJava.firstLoud(0, 320, 0.1) + 8_000;
            assertThat(start).isGreaterThan(8_000);
            assertThat(s.length).isGreaterThan(start + 8_000);
            double hz = Tone.frequency(s, start, start + 8_000, 16_000);
            double purity = Tone.purity(s, start, start + 8_000, 16_000, 523);
            System.out.printf("Java received %.2f Hz, purity %.4f, rms %.3f%n", hz, purity, Tone.rms(s, start, start + 8_000));
            assertThat(hz).isCloseTo(523, Offset.offset(0.5));
            assertThat(purity).isGreaterThan(0.98);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BrowserTransportTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + json);
        }
        return Double.parseDouble(m.group(1));
    }
}
