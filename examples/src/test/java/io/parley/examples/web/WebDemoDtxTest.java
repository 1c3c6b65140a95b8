package io.parley.examples.web;

import static io.parley.examples.web.WebDemoBrowserTest.awaitJava;
import static io.parley.examples.web.WebDemoBrowserTest.microphone;
import static io.parley.examples.web.WebDemoBrowserTest.page;
import static io.parley.examples.web.WebDemoBrowserTest.pressTalk;
import static io.parley.examples.web.WebDemoBrowserTest.startDemo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.examples.web.WebDemoBrowserTest.Observed;
import io.parley.session.PlaybackEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opus DTX in the web demo, seen from the browser: with DTX on, both directions send far fewer
 * packets while nobody speaks. A class of its own so that the examples module's two test JVMs
 * share the browser tests evenly.
 */
class WebDemoDtxTest {

    @BeforeAll
    static void environment() {
        WebDemoBrowserTest.environment();
    }

    @Test
    void dtxCutsThePacketsOfSilenceBothWays() throws Exception {
        double[] off = silenceRates(false);
        double[] on = silenceRates(true);
        System.out.printf("browser silence packets/s: DTX off sent %.1f received %.1f; DTX on sent %.1f received %.1f%n",
                off[0], off[1], on[0], on[1]);
        assertThat(off[0]).isGreaterThan(40);
        assertThat(off[1]).isGreaterThan(40);
        assertThat(on[0]).isLessThanOrEqualTo(off[0] * 0.2);
        assertThat(on[1]).isLessThanOrEqualTo(off[1] * 0.2);
    }

    /** Packets per second the page sent and received over 3 s of silence, a second after the greeting. */
    private static double[] silenceRates(boolean dtx) throws Exception {
        Observed seen = new Observed();
        Path wav = microphone(60_000, 0);
        try (WebDemo demo = startDemo(seen, dtx); CdpChromium browser = CdpChromium.open(page(demo), wav)) {
            pressTalk(browser);
            // Silence from here on: the greeting is over (played, or cut by a noise the VAD took for speech).
            awaitJava(() -> seen.playback.stream().anyMatch(e -> e.text().equals(DemoAgent.GREETING)
                    && (e.kind() == PlaybackEvent.Kind.FINISHED || e.kind() == PlaybackEvent.Kind.INTERRUPTED)), 45,
                    "the greeting ended; playback " + seen.playback);
            JsonNode a = browser.evaluate("new Promise(r => setTimeout(r, 1000)).then(() => window.parleyDemo.snapshot())");
            JsonNode b = browser.evaluate("new Promise(r => setTimeout(r, 3000)).then(() => window.parleyDemo.snapshot())");
            return new double[] {(b.path("packetsSent").asLong() - a.path("packetsSent").asLong()) / 3.0,
                    (b.path("packetsReceived").asLong() - a.path("packetsReceived").asLong()) / 3.0};
        } finally {
            Files.deleteIfExists(wav);
        }
    }
}
