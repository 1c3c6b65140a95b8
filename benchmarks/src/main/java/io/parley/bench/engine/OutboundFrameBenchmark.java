package io.parley.bench.engine;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionConfig;
import io.parley.session.VoiceSession;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of pacing one 20 ms outbound frame while the agent speaks, on the system clock: the
 * session's timer, event loop and transport hand-off. One operation waits (spinning, so the
 * benchmark thread allocates nothing) for the next frame the session sends.
 *
 * <p>JMH: {@code mvn -q -pl benchmarks exec:exec -Dbench.args="OutboundFrameBenchmark -f 1 -wi 2 -i 3 -prof gc"}
 * (gc.alloc.rate.norm counts every thread, so it includes the pool's own idle waits).
 *
 * <p>Loop threads only: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.engine.OutboundFrameBenchmark -Dbench.args=10}
 * prints the bytes the {@code parley-loop-} threads allocate per frame over that many seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OutboundFrameBenchmark {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;

    private VoiceSession session;
    private CountingTransport transport;

    @Setup
    public void setUp() {
        transport = new CountingTransport(Clock.system());
        session = speakingSession(transport);
    }

    @TearDown
    public void tearDown() {
        session.stop();
    }

    @Benchmark
    public long nextFrame() {
        long target = transport.sends.get() + 1;
        while (transport.sends.get() < target) {
            Thread.onSpinWait();
        }
        return target;
    }

    /** A started session saying a ten-minute reply. */
    static VoiceSession speakingSession(CountingTransport transport) {
        VoiceSession s = VoiceSession.builder()
                .clock(Clock.system())
                .config(SessionConfig.builder().timeout(java.time.Duration.ofHours(1)).build())
                .transport(transport)
                .stt(new SilentStt())
                .tts(new ToneTts(600))
                .agent((ctx, text) -> "")
                .build();
        s.start();
        s.say("a long reply");
        return s;
    }

    /**
     * Bytes allocated by the session loop threads per outbound frame over {@code args[0]}
     * seconds, with {@code args[1]} sessions speaking at once [10 s, 1 session].
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        java.util.List<CountingTransport> ts = new java.util.ArrayList<>();
        java.util.List<VoiceSession> ss = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            CountingTransport t = new CountingTransport(Clock.system());
            ts.add(t);
            ss.add(speakingSession(t));
        }
        Thread.sleep(2000);
        long bytes0 = loopBytes(mx);
        long frames0 = ts.stream().mapToLong(t -> t.sends.get()).sum();
        Thread.sleep(seconds * 1000L);
        long bytes = loopBytes(mx) - bytes0;
        long frames = ts.stream().mapToLong(t -> t.sends.get()).sum() - frames0;
        ss.forEach(VoiceSession::stop);
        System.out.printf("%d sessions: %d outbound frames in %d s; parley-loop threads allocated %d B = %.1f B/frame%n",
                count, frames, seconds, bytes, frames == 0 ? Double.NaN : bytes / (double) frames);
    }

    private static long loopBytes(com.sun.management.ThreadMXBean mx) {
        long sum = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("parley-loop-")) {
                sum += Math.max(0, mx.getThreadAllocatedBytes(th.getId()));
            }
        }
        return sum;
    }

    /** A transport that plays out at real-time pace and counts frames. */
    static final class CountingTransport implements Transport {
        final AtomicLong sends = new AtomicLong();
        private final Clock clock;
        private final RealTimePlayout playout = new RealTimePlayout(16_000, 1);

        CountingTransport(Clock clock) {
            this.clock = clock;
        }

        @Override
        public AudioFormat inputFormat() {
            return FORMAT;
        }

        @Override
        public AudioFormat outputFormat() {
            return FORMAT;
        }

        @Override
        public void start(TransportListener listener) {
        }

        @Override
        public synchronized void send(AudioFrame frame) {
            playout.enqueue(frame.length(), clock.nanoTime());
            sends.incrementAndGet();
        }

        @Override
        public synchronized void clearPlayback() {
            playout.clear(clock.nanoTime());
        }

        @Override
        public synchronized long playedSamples() {
            return playout.played(clock.nanoTime());
        }

        @Override
        public void close() {
        }
    }

    /** A recognizer that hears nothing. */
    static final class SilentStt implements SttProvider {
        @Override
        public String name() {
            return "silent";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            return new SttStream() {
                @Override
                public void write(AudioFrame frame) {
                }

                @Override
                public void finalizeUtterance() {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A synthesizer that answers any text with {@code seconds} of tone, delivered at once. */
    static final class ToneTts implements TtsProvider {
        private final int seconds;

        ToneTts(int seconds) {
            this.seconds = seconds;
        }

        @Override
        public String name() {
            return "tone";
        }

        @Override
        public TtsStream open(TtsRequest request, TtsListener listener) {
            return new TtsStream() {
                @Override
                public void pushText(String chunk) {
                }

                @Override
                public void flush() {
                    AudioFrame f = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(20)).setLength(FORMAT.samplesFor(20));
                    for (int i = 0; i < f.length(); i++) {
                        f.samples()[i] = (short) (3000 * Math.sin(2 * Math.PI * 220 * i / 16000.0));
                    }
                    for (int i = 0; i < seconds * 50; i++) {
                        listener.onAudio(f);
                    }
                    listener.onComplete();
                }

                @Override
                public void cancel() {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
