package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Opens, connects and closes many sessions (two peer connections each) in one engine and
 * checks that threads come back to where they were and native memory stays bounded. The full
 * 300-session soak is {@code io.parley.bench.webrtc.WebRtcSoak} in the benchmarks module.
 */
class SoakTest {

    private static final int SESSIONS = 40;

    @Test
    void sessionsOpenAndCloseWithoutLeakingThreadsOrMuchMemory() throws Exception {
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();
        Set<String> threadsBefore = EngineLifecycleTest.threadNames();
        long rssBefore;
        long rssAfter;
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults())) {
            // Warm-up: the first sessions load codecs and grow libwebrtc's pools.
            for (int i = 0; i < 5; i++) {
                oneSession(engine);
            }
            rssBefore = rssKiB();
            java.util.List<String> osThreadsBefore = EngineLifecycleTest.osThreadNames();
            for (int i = 0; i < SESSIONS; i++) {
                oneSession(engine);
            }
            assertThat(engine.activeTransports()).isZero();
            rssAfter = rssKiB();
            // libwebrtc ends a closed connection's threads asynchronously: give them up to 2 s.
            java.util.List<String> added = nativeThreadsAdded(osThreadsBefore);
            for (int i = 0; i < 40 && !added.isEmpty(); i++) {
                Thread.sleep(50);
                added = nativeThreadsAdded(osThreadsBefore);
            }
            System.out.println("soak: native threads added by the sessions: " + added);
            assertThat(added).as("native threads added by the sessions").isEmpty();
        }
        double perSessionKiB = (rssAfter - rssBefore) / (double) SESSIONS;
        System.out.printf("soak: %d sessions, RSS %d -> %d KiB, %.1f KiB per session%n", SESSIONS, rssBefore, rssAfter, perSessionKiB);
        // Measured about 0.1 MB per closed peer connection in libwebrtc itself; 1 MiB per session means a real leak.
        assertThat(perSessionKiB).as("resident memory growth per session, KiB").isLessThan(1024);
        // JDK HttpClient pools of earlier tests end whenever the garbage collector frees their
        // clients, and idle pool threads of earlier tests (the session's blocking pool, the
        // process reaper) end after a minute, which a slow run outlasts: a leak is a thread that
        // was not there before.
        java.util.function.Predicate<String> engineThread = n -> !n.startsWith("HttpClient-");
        assertThat(EngineLifecycleTest.threadNames()).filteredOn(engineThread).as("threads after shutdown")
                .isSubsetOf(threadsBefore.stream().filter(engineThread).toList());
    }

    /** OS threads not in {@code before}, less Java threads (pools and cleaners start on demand). */
    private static java.util.List<String> nativeThreadsAdded(java.util.List<String> before) throws IOException {
        java.util.List<String> added = new java.util.ArrayList<>(EngineLifecycleTest.osThreadNames());
        before.forEach(added::remove);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            // The kernel truncates thread names to 15 characters.
            String name = t.getName();
            added.remove(name.length() > 15 ? name.substring(0, 15) : name);
        }
        return added;
    }

    private static void oneSession(WebRtcEngine engine) {
        WebRtcTransport a = engine.offer(TransportSettings.defaults());
        WebRtcTransport b = engine.answer(a.localDescription(), TransportSettings.defaults());
        try {
            a.acceptAnswer(b.localDescription());
            a.start(new Recorder());
            b.start(new Recorder());
            assertThat(a.awaitConnected(Duration.ofSeconds(10))).isTrue();
            a.send(Tone.sine(a.outputFormat(), 440, 0.3, 50));
        } finally {
            a.close();
            b.close();
        }
    }

    /** Resident set size of this process from /proc. */
    static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
