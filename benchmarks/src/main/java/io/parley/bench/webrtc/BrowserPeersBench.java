package io.parley.bench.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.OperatingSystemMXBean;
import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import io.parley.examples.web.DemoProviders;
import io.parley.examples.web.WebDemo;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The shipped grammar web demo under 1, 3 and 5 real browser peers (tabs of one headless
 * Chromium whose fake microphone loops a pocketsphinx test recording followed by silence):
 * <ul>
 *   <li>server cost: this JVM's CPU time over a steady window while the peers talk, as a share of
 *       one core, minus the same window with the demo running and no peer, per peer;</li>
 *   <li>mouth-to-ear latency as the page measures it: from the end of the user's utterance (the
 *       page's microphone falls quiet) to the first energy of the agent's reply at the page.</li>
 * </ul>
 * Chromium's own CPU is not counted. The machine is shared: the load average before and after
 * each run is printed with it.
 *
 * <p>Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.webrtc.BrowserPeersBench
 * -Dbench.args="1,3,5 40"} (peer counts, seconds measured per count).
 */
public final class BrowserPeersBench {

    private static final Path RECORDING = Path.of("/usr/share/pocketsphinx/test/data/goforward.raw");

    private BrowserPeersBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String n : (args.length > 0 ? args[0] : "1,3,5").split(",")) {
            counts.add(Integer.parseInt(n.trim()));
        }
        int seconds = Peers.intArg(args, 1, 40);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // The utterance, then long enough a pause for the reply (about 5 s) before the loop repeats.
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        AudioClip loop = AudioClip.silence(f, Duration.ofSeconds(6)).append(Wav.readRaw(RECORDING, f))
                .append(AudioClip.silence(f, Duration.ofSeconds(8)));
        Path wav = Files.createTempFile("parley-bench-mic-", ".wav");
        Wav.write(wav, loop.resample(48_000));
        System.out.printf("machine: %d cores; %d s per run%n", Runtime.getRuntime().availableProcessors(), seconds);
        System.out.println("peers | JVM CPU (% of one core) | per peer | mouth-to-ear ms p50 / max (n) | load avg before -> after");
        try {
            for (int n : counts) {
                run(n, seconds, wav, os);
            }
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    private static void run(int peers, int seconds, Path wav, OperatingSystemMXBean os) throws Exception {
        double loadBefore = os.getSystemLoadAverage();
        try (WebDemo demo = WebDemo.builder().providers(DemoProviders.offline()).maxSessions(peers)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start()) {
            double idle = cpuShare(os, Math.min(seconds, 10));
            try (ChromiumTabs tabs = ChromiumTabs.open(demo.pageUri().resolve("/?processing=off"), peers, wav)) {
                for (int t = 0; t < peers; t++) {
                    awaitScript(tabs, t);
                    tabs.evaluate(t, "document.getElementById('talk').click(); true");
                }
                // Settle: every tab connected and past its greeting.
                Thread.sleep(6_000);
                double busy = cpuShare(os, seconds);
                List<Long> latencies = new ArrayList<>();
                int connected = 0;
                for (int t = 0; t < peers; t++) {
                    JsonNode snap = tabs.evaluate(t, "window.parleyDemo.snapshot()");
                    connected += snap.path("connected").asBoolean() ? 1 : 0;
                    snap.path("latencies").forEach(l -> latencies.add(l.asLong()));
                }
                Collections.sort(latencies);
                String lat = latencies.isEmpty() ? "none" : latencies.get(latencies.size() / 2) + " / "
                        + latencies.get(latencies.size() - 1) + " (" + latencies.size() + ")";
                System.out.printf("%5d | %23.1f | %8.1f | %29s | %.1f -> %.1f%s%n", peers, busy * 100, (busy - idle) * 100 / peers,
                        lat, loadBefore, os.getSystemLoadAverage(), connected == peers ? "" : "  (only " + connected + " connected)");
            }
        }
    }

    /** Waits (bounded) until the demo script runs in tab {@code t}, across the tab's first navigation. */
    private static void awaitScript(ChromiumTabs tabs, int t) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                tabs.evaluate(t, "new Promise((ok, no) => { let n = 0; const f = () => window.parleyDemo ? ok(true)"
                        + " : (++n > 200 ? no(new Error('no demo script')) : setTimeout(f, 50)); f(); })");
                return;
            } catch (IllegalStateException e) {
                if (attempt == 10 || !e.getMessage().contains("context")) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** This JVM's CPU time over {@code seconds}, as a share of one core. */
    private static double cpuShare(OperatingSystemMXBean os, int seconds) throws InterruptedException {
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        return (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
    }
}
