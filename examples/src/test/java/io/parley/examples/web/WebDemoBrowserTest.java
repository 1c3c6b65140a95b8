package io.parley.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionListener;
import io.parley.session.StateChange;
import io.parley.session.TurnCommit;
import io.parley.session.VoiceSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end in a real browser: headless Chromium loads the page from the demo's
 * server, its fake microphone plays a real recording from Debian's pocketsphinx test data, the
 * session answers, and the page follows it over the {@code parley-events} data channel.
 *
 * <p>The page runs with {@code ?processing=off}: in headless Chromium with a fake capture
 * device, echo cancellation adds a faint periodic signal to the WAV's digital silence, which no
 * real microphone with room noise would show.
 */
class WebDemoBrowserTest {

    /** A man saying "go forward ten meters": not one of the demo's requests. */
    static final Path RECORDING = Path.of("/usr/share/pocketsphinx/test/data/goforward.raw");

    @BeforeAll
    static void environment() {
        assumeThat(CdpChromium.installed()).as("Chromium is not installed at " + CdpChromium.BINARY
                + " (Debian package chromium); these tests drive a real browser").isTrue();
        assumeThat(Files.isReadable(RECORDING)).as("Debian package pocketsphinx-testdata is not installed").isTrue();
        boolean network = false;
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                network |= ni.isUp() && !ni.isLoopback() && ni.getInetAddresses().hasMoreElements();
            }
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
        assumeThat(network).as("libwebrtc gathers no ICE candidates on loopback and no other interface is up").isTrue();
    }

    /** What the session did, seen from the Java side, in the terms the page shows. */
    static final class Observed implements SessionListener {
        final List<String> states = new CopyOnWriteArrayList<>();
        final List<String> turns = new CopyOnWriteArrayList<>();
        final List<String> spoken = new CopyOnWriteArrayList<>();
        final List<PlaybackEvent> playback = new CopyOnWriteArrayList<>();

        @Override
        public void onStateChanged(StateChange change) {
            states.add(change.to().name());
        }

        @Override
        public void onTurnCommitted(TurnCommit turn) {
            turns.add(turn.text());
        }

        @Override
        public void onPlayback(PlaybackEvent e) {
            playback.add(e);
            if (e.kind() == PlaybackEvent.Kind.FINISHED) {
                spoken.add(e.text());
            } else if (e.kind() == PlaybackEvent.Kind.INTERRUPTED) {
                spoken.add(e.playedText());
            }
        }

        boolean finished(String textStart) {
            return playback.stream().anyMatch(e -> e.kind() == PlaybackEvent.Kind.FINISHED && e.text().startsWith(textStart));
        }
    }

    @Test
    void realSpeechOutsideTheRequestsIsNotUnderstoodAndThePageShowsWhatTheSessionDid() throws Exception {
        Observed seen = new Observed();
        Path wav = microphone(10_000, 30_000);
        try (WebDemo demo = startDemo(seen, true); CdpChromium browser = CdpChromium.open(page(demo), wav)) {
            pressTalk(browser);
            awaitJava(() -> seen.finished("Sorry, I didn't catch that"), 60, "the agent said it did not understand; " + seen.turns);
            JsonNode page = pageAfter(browser, p -> p.path("agentSpoken").size() == seen.spoken.size()
                    && p.path("states").size() == seen.states.size());
            System.out.println("page saw: " + page);
            // The data channel carried exactly what the session did, in order.
            assertThat(strings(page.path("userTurns"))).isEqualTo(seen.turns);
            assertThat(strings(page.path("agentSpoken"))).isEqualTo(seen.spoken);
            assertThat(strings(page.path("states"))).isEqualTo(seen.states);
            assertThat(seen.spoken).containsExactly(DemoAgent.GREETING, DemoAgent.NOT_UNDERSTOOD);
            assertThat(seen.turns).hasSize(1);
            assertThat(seen.turns.get(0)).doesNotContain("time", "name", "joke", "weather", "hello", "goodbye");
            // The page shows the greeting, what the agent answered and the reply; never an empty line.
            List<String> log = strings(page.path("log"));
            assertThat(log).allSatisfy(l -> assertThat(l.substring(l.indexOf('|') + 1)).isNotBlank());
            assertThat(log).containsSubsequence("turn agent|" + DemoAgent.GREETING, "turn user|" + seen.turns.get(0),
                    "turn agent|" + DemoAgent.NOT_UNDERSTOOD);
            assertThat(page.path("errors").size()).isZero();
            assertThat(page.path("packetsLost").asLong()).isZero();
            long reply = seen.playback.stream().filter(e -> e.text().equals(DemoAgent.NOT_UNDERSTOOD)).findFirst().orElseThrow().speechId();
            assertThat(page.path("speechRms").path(Long.toString(reply)).asDouble()).as("the reply was heard").isGreaterThan(0.02);
            assertThat(page.path("latencies").size()).as("mouth-to-ear latency measured").isGreaterThanOrEqualTo(1);
            System.out.println("mouth-to-ear latency (ms): " + page.path("latencies"));
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    @Test
    void reloadsReleaseTheOldSessionAtOnceAndNeverHitTheLimit() throws Exception {
        Path wav = microphone(1_000, 20_000);
        try (WebDemo demo = startDemo(new Observed(), true); CdpChromium browser = CdpChromium.open(page(demo), wav)) {
            List<Long> releaseMs = new ArrayList<>();
            String previous = null;
            for (int i = 0; i <= 10; i++) {
                if (previous != null) {
                    long t0 = System.nanoTime();
                    browser.evaluate("location.reload(); true");
                    String old = previous;
                    awaitJava(() -> !demo.sessionIds().contains(old), 5, "reload " + i + " released session " + old);
                    releaseMs.add((System.nanoTime() - t0) / 1_000_000);
                }
                pressTalk(browser);
                JsonNode page = pageAfter(browser, p -> !p.path("resource").isNull() || p.path("errors").size() > 0);
                assertThat(page.path("errors").size()).as("reload %d: %s", i, page.path("errors")).isZero();
                String resource = page.path("resource").asText();
                previous = resource.substring(resource.lastIndexOf('/') + 1);
                assertThat(demo.sessionIds()).contains(previous).hasSizeLessThanOrEqualTo(2);
            }
            System.out.println("old session released after reload (ms): " + releaseMs);
            assertThat(releaseMs).hasSize(10).allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    @Test
    void iceRestartFromThePageKeepsTheSessionItsHistoryAndItsEvents() throws Exception {
        Observed seen = new Observed();
        Path wav = microphone(60_000, 0);
        try (WebDemo demo = startDemo(seen, true); CdpChromium browser = CdpChromium.open(page(demo), wav)) {
            pressTalk(browser);
            awaitJava(() -> seen.finished(DemoAgent.GREETING), 30, "the greeting was played");
            String id = demo.sessionIds().iterator().next();
            VoiceSession session = demo.session(id);

            assertThat(browser.evaluate("window.parleyDemo.restartIce()").asBoolean()).isTrue();
            JsonNode restarted = pageAfter(browser, p -> p.path("restarts").asInt() == 1 && p.path("ice").asText().equals("connected"));
            assertThat(restarted.path("ice").asText()).isEqualTo("connected");
            long packetsBefore = restarted.path("packetsReceived").asLong();

            browser.evaluate("window.parleyDemo.sendText('what is your name'); true");
            awaitJava(() -> seen.finished("My name is Parley"), 30, "the agent answered after the ICE restart");
            JsonNode page = pageAfter(browser, p -> strings(p.path("agentSpoken")).size() == seen.spoken.size());
            assertThat(demo.sessionIds()).containsExactly(id);
            assertThat(demo.session(id)).isSameAs(session);
            assertThat(session.history()).extracting(t -> t.text()).containsSubsequence(DemoAgent.GREETING, "what is your name",
                    "My name is Parley. I am a voice agent running in Java.");
            assertThat(strings(page.path("agentSpoken"))).isEqualTo(seen.spoken);
            long answer = seen.playback.stream().filter(e -> e.text().startsWith("My name")).findFirst().orElseThrow().speechId();
            assertThat(page.path("speechRms").path(Long.toString(answer)).asDouble()).as("audio flows after the restart").isGreaterThan(0.02);
            assertThat(page.path("packetsReceived").asLong()).isGreaterThan(packetsBefore);
            assertThat(page.path("errors").size()).isZero();
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    static java.net.URI page(WebDemo demo) {
        return demo.pageUri().resolve("/?processing=off");
    }

    static WebDemo startDemo(Observed seen, boolean dtx) {
        return WebDemo.builder()
                .providers(new DemoProviders(PocketSphinxStt.builder().grammar(DemoAgent.GRAMMAR).build(),
                        FreeTtsTts.create(), DspVad.defaults(), "pocketsphinx + FreeTTS"))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .webrtc(io.parley.transport.webrtc.WebRtcConfig.builder().opusDtx(dtx).build())
                .listener(seen)
                .start();
    }

    /** Waits (bounded, in page time) for the demo script, then presses the button. */
    static void pressTalk(CdpChromium browser) throws Exception {
        String loaded = "new Promise((resolve, reject) => { let n = 0; const f = () => window.parleyDemo ? resolve(true)"
                + " : (++n > 200 ? reject(new Error('demo script did not load')) : setTimeout(f, 50)); f(); })";
        for (int attempt = 1; ; attempt++) {
            try {
                browser.evaluate(loaded);
                break;
            } catch (IllegalStateException e) {
                // An evaluation can land in the page a navigation or reload is destroying.
                if (attempt == 10 || !e.getMessage().contains("context")) {
                    throw e;
                }
            }
        }
        browser.evaluate("document.getElementById('talk').click(); true");
    }

    /** Waits (bounded, in page time) until the page's snapshot satisfies {@code done}. */
    static JsonNode pageAfter(CdpChromium browser, Predicate<JsonNode> done) throws Exception {
        JsonNode snap = browser.evaluate("window.parleyDemo.snapshot()");
        for (int i = 0; i < 100 && !done.test(snap); i++) {
            snap = browser.evaluate("new Promise(r => setTimeout(r, 100)).then(() => window.parleyDemo.snapshot())");
        }
        return snap;
    }

    /** Polls a Java-side condition every 20 ms for at most {@code seconds}. */
    static void awaitJava(java.util.function.BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * A 48 kHz WAV for Chromium's fake microphone: silence, the real recording, silence (none
     * when {@code silenceAfterMs} is 0 and then no recording either). Chromium loops the file.
     */
    static Path microphone(int silenceBeforeMs, int silenceAfterMs) throws Exception {
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        AudioClip clip = AudioClip.silence(f, Duration.ofMillis(silenceBeforeMs));
        if (silenceAfterMs > 0) {
            clip = clip.append(Wav.readRaw(RECORDING, f)).append(AudioClip.silence(f, Duration.ofMillis(silenceAfterMs)));
        }
        Path wav = Files.createTempFile("parley-mic-", ".wav");
        Wav.write(wav, clip.resample(48_000));
        return wav;
    }
}
