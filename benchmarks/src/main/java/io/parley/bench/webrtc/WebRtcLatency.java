package io.parley.bench.webrtc;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import io.parley.spi.TransportListener;
import io.parley.transport.webrtc.TransportSettings;
import io.parley.transport.webrtc.WebRtcConfig;
import io.parley.transport.webrtc.WebRtcEngine;
import io.parley.transport.webrtc.WebRtcTransport;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Added latency of the transport, one way: from {@link WebRtcTransport#send} of a tone burst
 * (into an empty queue) to the moment the receiving transport's capture-thread sink got the
 * burst's first loud sample. Includes waiting for the next 10 ms pacer tick, Opus encode and
 * decode, the receiver's jitter buffer and the resampler's filter delay; excludes the
 * listener's own processing. Both peers live in this JVM on the same host.
 *
 * <p>Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.webrtc.WebRtcLatency -Dbench.args=40}
 */
public final class WebRtcLatency {

    private WebRtcLatency() {
    }

    public static void main(String[] args) throws Exception {
        int bursts = Peers.intArg(args, 0, 40);
        AudioFormat format = AudioFormat.PCM_16K_MONO;
        AudioFrame burst = Peers.sine(format, 1000, 0.5, 100);
        long[] latencies = new long[bursts];
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults())) {
            WebRtcTransport[] p = Peers.pair(engine, TransportSettings.defaults());
            Onset onset = new Onset();
            p[0].start(new Onset());
            p[1].start(onset);
            // Let the jitter buffer settle on steady silence first.
            onset.awaitFrames(100);
            for (int i = 0; i < bursts; i++) {
                onset.arm();
                long sent = System.nanoTime();
                p[0].send(burst);
                if (!onset.fired.await(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("burst " + i + " never arrived");
                }
                latencies[i] = onset.onsetNanos - sent;
                // Back to silence for a while before the next burst.
                onset.awaitFrames(40);
            }
            p[0].close();
            p[1].close();
            System.out.printf("pacer resyncs: %d%n", engine.pacerResyncs());
        }
        StringBuilder seq = new StringBuilder("in order (ms):");
        for (long l : latencies) {
            seq.append(' ').append(Math.round(l / 1e6));
        }
        System.out.println(seq);
        Arrays.sort(latencies);
        System.out.printf("push -> remote sink, %d bursts: min %.1f ms, median %.1f ms, p90 %.1f ms, max %.1f ms%n", bursts,
                latencies[0] / 1e6, latencies[bursts / 2] / 1e6, latencies[(int) (bursts * 0.9)] / 1e6, latencies[bursts - 1] / 1e6);
    }

    /** Finds the first loud sample after being armed; frame timestamps are sink arrival times. */
    private static final class Onset implements TransportListener {
        volatile CountDownLatch fired = new CountDownLatch(1);
        volatile boolean armed;
        volatile long onsetNanos;
        private final Object lock = new Object();
        private long frames;

        void arm() {
            fired = new CountDownLatch(1);
            armed = true;
        }

        void awaitFrames(long n) throws InterruptedException {
            long target;
            synchronized (lock) {
                target = frames + n;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (lock) {
                while (frames < target && System.nanoTime() < deadline) {
                    lock.wait(100);
                }
            }
        }

        @Override
        public void onAudio(AudioFrame frame) {
            if (armed) {
                short[] s = frame.samples();
                for (int i = 0; i < frame.length(); i++) {
                    if (Math.abs(s[i]) > 8000) {
                        onsetNanos = frame.timestampNanos() + frame.format().nanosFor(i);
                        armed = false;
                        fired.countDown();
                        break;
                    }
                }
            }
            synchronized (lock) {
                frames++;
                lock.notifyAll();
            }
        }

        @Override
        public void onError(SessionException error) {
            System.err.println("transport error: " + error);
        }
    }
}
