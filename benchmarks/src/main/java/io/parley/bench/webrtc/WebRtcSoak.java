package io.parley.bench.webrtc;

import io.parley.audio.AudioFormat;
import io.parley.transport.webrtc.TransportSettings;
import io.parley.transport.webrtc.WebRtcConfig;
import io.parley.transport.webrtc.WebRtcEngine;
import io.parley.transport.webrtc.WebRtcTransport;

/**
 * Opens, connects, briefly uses and closes sessions one after another (each a pair of peer
 * connections in this JVM) and reports resident memory and OS threads along the way.
 *
 * <p>Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.webrtc.WebRtcSoak
 * -Dbench.args=300 -Dbench.jvmArgs="-Xms256m -Xmx256m -XX:+AlwaysPreTouch"} (a fixed, pre-touched
 * heap so RSS growth is native memory).
 */
public final class WebRtcSoak {

    private WebRtcSoak() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = Peers.intArg(args, 0, 300);
        int warmup = 5;
        int threadsBefore = Peers.osThreads();
        java.util.List<String> namesBefore = Peers.osThreadNames();
        long rssStart;
        long started = System.nanoTime();
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults())) {
            for (int i = 0; i < warmup; i++) {
                oneSession(engine);
            }
            rssStart = Peers.rssKiB();
            System.out.printf("after %d warm-up sessions: RSS %d KiB, OS threads %d%n", warmup, rssStart, Peers.osThreads());
            long t0 = System.nanoTime();
            for (int i = 1; i <= sessions; i++) {
                oneSession(engine);
                if (i % 50 == 0 || i == sessions) {
                    long rss = Peers.rssKiB();
                    System.out.printf("%4d sessions: RSS %d KiB (+%.1f MiB, %.0f KiB/session), OS threads %d, %.0f ms/session%n",
                            i, rss, (rss - rssStart) / 1024.0, (rss - rssStart) / (double) i, Peers.osThreads(),
                            (System.nanoTime() - t0) / 1e6 / i);
                }
            }
            System.out.printf("open transports at the end: %d%n", engine.activeTransports());
        }
        System.out.printf("engine closed: OS threads %d (before the engine: %d), total %.1f s%n",
                Peers.osThreads(), threadsBefore, (System.nanoTime() - started) / 1e9);
        java.util.List<String> added = new java.util.ArrayList<>(Peers.osThreadNames());
        namesBefore.forEach(added::remove);
        java.util.List<String> gone = new java.util.ArrayList<>(namesBefore);
        Peers.osThreadNames().forEach(gone::remove);
        System.out.println("OS threads added since before the engine: " + added + ", gone: " + gone);
    }

    private static void oneSession(WebRtcEngine engine) {
        WebRtcTransport[] p = Peers.pair(engine, TransportSettings.defaults());
        try {
            p[0].send(Peers.sine(AudioFormat.PCM_16K_MONO, 440, 0.3, 50));
        } finally {
            p[0].close();
            p[1].close();
        }
    }
}
