package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.parley.session.SessionException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine's process-wide rules and its clean shutdown. */
class EngineLifecycleTest {

    @BeforeAll
    static void needsNetwork() {
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();
    }

    @Test
    void onlyOneEngineAtATimeAndANewOneAfterClose() {
        try (WebRtcEngine first = WebRtcEngine.start(WebRtcConfig.defaults())) {
            assertThatThrownBy(() -> WebRtcEngine.start(WebRtcConfig.defaults()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open");
        }
        try (WebRtcEngine second = WebRtcEngine.start(WebRtcConfig.defaults())) {
            WebRtcTransport a = second.offer(TransportSettings.defaults());
            WebRtcTransport b = second.answer(a.localDescription(), TransportSettings.defaults());
            a.acceptAnswer(b.localDescription());
            assertThat(a.awaitConnected(Duration.ofSeconds(10))).isTrue();
            assertThat(b.awaitConnected(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void closedEngineRefusesNewSessionsAndClosesOpenOnes() {
        WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults());
        WebRtcTransport a = engine.offer(TransportSettings.defaults());
        Recorder r = new Recorder();
        a.start(r);
        engine.close();
        engine.close();
        assertThat(engine.activeTransports()).isZero();
        assertThat(r.disconnectReasons).containsExactly("the WebRTC engine is shutting down");
        assertThatThrownBy(() -> engine.offer(TransportSettings.defaults()))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("TRANSPORT_CLOSED");
        assertThatThrownBy(() -> a.send(Tone.sine(a.outputFormat(), 440, 0.1, 10)))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("TRANSPORT_CLOSED");
    }

    /**
     * No Java thread outlives the engine. At the OS level, webrtc-java 0.14.0 never frees a
     * closed peer connection's native object (its {@code close()} does not drop the reference
     * it holds), which keeps two libwebrtc threads of the engine alive; they are the only
     * native threads allowed to remain, and their number does not grow with sessions (see
     * {@link SoakTest}).
     */
    @Test
    void noThreadIsLeftAfterShutdown() throws Exception {
        Set<String> before = threadNames();
        java.util.List<String> osBefore = osThreadNames();
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults())) {
            WebRtcTransport a = engine.offer(TransportSettings.defaults());
            WebRtcTransport b = engine.answer(a.localDescription(), TransportSettings.defaults());
            a.acceptAnswer(b.localDescription());
            a.start(new Recorder());
            b.start(new Recorder());
            assertThat(a.awaitConnected(Duration.ofSeconds(10))).isTrue();
            assertThat(threadNames()).contains("parley-webrtc-pacer (daemon)", "parley-webrtc-" + a.id() + " (daemon)");
        }
        // Threads other test classes left in this JVM (an HTTP client's idle workers) may end
        // meanwhile; only a thread the engine added must not remain.
        assertThat(threadNames()).as("Java threads after shutdown").isSubsetOf(before);
        java.util.List<String> osAdded = new java.util.ArrayList<>(osThreadNames());
        osBefore.forEach(osAdded::remove);
        assertThat(osAdded).as("native threads left after shutdown").isSubsetOf("AudioDeviceBuff", "rtc-low-prio").hasSizeLessThanOrEqualTo(2);
    }

    /**
     * Names of this process's OS threads, Java and native, from /proc, less the JVM's own
     * compiler and GC workers, which the JVM starts and stops by load at any moment.
     */
    static java.util.List<String> osThreadNames() throws java.io.IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String n : allOsThreadNames()) {
            if (!n.startsWith("C1 CompilerThre") && !n.startsWith("C2 CompilerThre") && !n.startsWith("GC Thread#")
                    && !n.startsWith("G1 Conc#") && !n.startsWith("G1 Refine#")) {
                names.add(n);
            }
        }
        return names;
    }

    private static java.util.List<String> allOsThreadNames() throws java.io.IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    names.add(java.nio.file.Files.readString(t.resolve("comm")).strip());
                } catch (java.nio.file.NoSuchFileException e) {
                    // That thread ended while listing.
                } catch (java.io.IOException e) {
                    // Or between opening its name and reading it (ESRCH, "No such process"); any
                    // other failure, with the thread still there, is the test's to report.
                    if (java.nio.file.Files.exists(t)) {
                        throw e;
                    }
                }
            }
        }
        return names;
    }

    /**
     * A peer that vanishes without signalling (here: closed without WHIP) is released by the
     * consent check once it has sent nothing for the consent timeout, well before libwebrtc's
     * own ICE failure (15 s or more): the listener hears why, and the transport closes itself.
     */
    @Test
    void vanishedPeerIsReleasedByTheConsentCheck() throws Exception {
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.builder().consentTimeout(Duration.ofSeconds(2)).build())) {
            WebRtcTransport a = engine.offer(TransportSettings.defaults());
            WebRtcTransport b = engine.answer(a.localDescription(), TransportSettings.defaults());
            a.acceptAnswer(b.localDescription());
            Recorder atB = new Recorder();
            java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
            b.onClose(closed::countDown);
            b.start(atB);
            a.start(new Recorder());
            assertThat(b.awaitConnected(Duration.ofSeconds(10))).isTrue();
            long t0 = System.nanoTime();
            a.close();
            assertThat(closed.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long releasedMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("vanished peer released after %d ms (consent timeout 2000 ms, checked every 500 ms)%n", releasedMs);
            assertThat(releasedMs).isBetween(1_900L, 4_000L);
            assertThat(atB.disconnected.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(atB.disconnectReasons).anySatisfy(r -> assertThat(r).startsWith("the peer sent nothing for "));
            assertThat(engine.activeTransports()).isZero();
        }
    }

    static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
            }
        }
        return names;
    }
}
