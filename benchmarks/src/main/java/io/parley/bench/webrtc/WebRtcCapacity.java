package io.parley.bench.webrtc;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import io.parley.spi.TransportListener;
import io.parley.transport.webrtc.TransportSettings;
import io.parley.transport.webrtc.WebRtcConfig;
import io.parley.transport.webrtc.WebRtcEngine;
import io.parley.transport.webrtc.WebRtcTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many full-duplex sessions one JVM sustains at real-time pace. Each session is a pair of
 * peer connections in this JVM (the far end is a Java peer too, so every session costs two
 * endpoints here), both sides talking continuously. For each count the harness measures CPU
 * (process CPU time over wall time, in % of one core), the audio each endpoint received
 * against real time, inbound drops, pacer stalls and the received tones' purity.
 *
 * <p>A count is sustained when every endpoint received at least 99 % of real time, nothing was
 * dropped, the pacer never fell 100 ms behind and every tone stayed over 0.95 purity.
 *
 * <p>Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.webrtc.WebRtcCapacity
 * -Dbench.args="10 1 5 10 20 40"} (first argument: measured seconds per count).
 */
public final class WebRtcCapacity {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;

    private WebRtcCapacity() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Peers.intArg(args, 0, 10);
        List<Integer> counts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            counts.add(Integer.parseInt(args[i]));
        }
        if (counts.isEmpty()) {
            counts = List.of(1, 5, 10, 20, 40);
        }
        System.out.printf("%d cores; each session = 2 endpoints in this JVM; %d s measured per count%n",
                Runtime.getRuntime().availableProcessors(), seconds);
        System.out.println("sessions  cpu%core  cpu%/endpoint  received%min  dropped  pacerStalls  purityMin  sustained");
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults())) {
            for (int n : counts) {
                run(engine, n, seconds);
            }
        }
    }

    private static void run(WebRtcEngine engine, int sessions, int seconds) throws Exception {
        List<WebRtcTransport> all = new ArrayList<>();
        List<Meter> meters = new ArrayList<>();
        List<AudioFrame> tones = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                WebRtcTransport[] p = Peers.pair(engine, TransportSettings.defaults());
                for (int side = 0; side < 2; side++) {
                    // Distinct tones per endpoint; 1 s of whole cycles loops cleanly.
                    double hz = 300 + 20 * (2 * i + side);
                    Meter m = new Meter(300 + 20 * (2 * i + 1 - side));
                    p[side].start(m);
                    all.add(p[side]);
                    meters.add(m);
                    tones.add(Peers.sine(FORMAT, hz, 0.3, 1_000));
                }
            }
            feed(all, tones);
            long warmEnd = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warmEnd) {
                feed(all, tones);
                Thread.sleep(100);
            }
            long resyncs0 = engine.pacerResyncs();
            meters.forEach(Meter::reset);
            long cpu0 = Peers.processCpuNanos();
            long t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                feed(all, tones);
                Thread.sleep(100);
            }
            long wall = System.nanoTime() - t0;
            long cpu = Peers.processCpuNanos() - cpu0;
            long stalls = engine.pacerResyncs() - resyncs0;
            double expected = FORMAT.sampleRate() * (wall / 1e9);
            double minReceived = Double.MAX_VALUE;
            double minPurity = Double.MAX_VALUE;
            long dropped = 0;
            for (int i = 0; i < all.size(); i++) {
                minReceived = Math.min(minReceived, meters.get(i).samples.get() / expected * 100);
                minPurity = Math.min(minPurity, meters.get(i).purity());
                dropped += all.get(i).stats().droppedChunks();
            }
            double cpuPct = cpu * 100.0 / wall;
            boolean ok = minReceived >= 99 && dropped == 0 && stalls == 0 && minPurity > 0.95;
            System.out.printf("%8d  %8.1f  %13.2f  %12.1f  %7d  %11d  %9.4f  %s%n", sessions, cpuPct, cpuPct / (2 * sessions),
                    minReceived, dropped, stalls, minPurity, ok ? "yes" : "NO");
        } finally {
            all.forEach(WebRtcTransport::close);
        }
    }

    /** Keeps about a second queued on every endpoint. */
    private static void feed(List<WebRtcTransport> all, List<AudioFrame> tones) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).stats().queuedSamples() < FORMAT.sampleRate() / 2) {
                all.get(i).send(tones.get(i));
            }
        }
    }

    /** Counts received samples and keeps the last second for a purity check. */
    private static final class Meter implements TransportListener {
        final AtomicLong samples = new AtomicLong();
        private final double expectHz;
        private final short[] last = new short[16_000];
        private int pos;
        private boolean full;

        Meter(double expectHz) {
            this.expectHz = expectHz;
        }

        void reset() {
            samples.set(0);
        }

        @Override
        public synchronized void onAudio(AudioFrame frame) {
            samples.addAndGet(frame.length());
            for (int i = 0; i < frame.length(); i++) {
                last[pos++] = frame.samples()[i];
                if (pos == last.length) {
                    pos = 0;
                    full = true;
                }
            }
        }

        /** Share of the last second's energy at the expected tone (least-squares sinusoid fit). */
        synchronized double purity() {
            if (!full) {
                return 0;
            }
            double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0, xx = 0;
            for (int k = 0; k < last.length; k++) {
                double x = last[(pos + k) % last.length];
                double ph = 2 * Math.PI * expectHz * k / 16_000;
                double si = Math.sin(ph);
                double co = Math.cos(ph);
                ss += si * si;
                cc += co * co;
                sc += si * co;
                xs += x * si;
                xc += x * co;
                xx += x * x;
            }
            double det = ss * cc - sc * sc;
            double a = (xs * cc - xc * sc) / det;
            double b = (xc * ss - xs * sc) / det;
            return xx == 0 ? 0 : (a * xs + b * xc) / xx;
        }

        @Override
        public void onError(SessionException error) {
            System.err.println("transport error: " + error);
        }
    }
}
