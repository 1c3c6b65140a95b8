package io.parley.bench.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.VoiceSession;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.FakeVad;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs N sessions at real-time pace on the production clock and reports how late frames
 * were, whether any were lost, and what each session costs in CPU and heap.
 *
 * <p>Each simulated caller speaks for 1.2 s every 6 s (phases spread over the cycle); the
 * recognizer answers a finalize at once and the synthesizer returns 1.5 s of audio at once,
 * so the numbers are the framework's, with providers out of the picture. Two driver threads
 * deliver 20 ms frames to every session on a fixed grid, like a media server's ticks.
 *
 * <ul>
 *   <li>inbound lateness: frame due time to the moment the session returned from it;</li>
 *   <li>outbound lateness: for each agent frame, how long after the transport's queue ran dry
 *       it arrived (0 when the pacer kept ahead of playout);</li>
 *   <li>lost: inbound frames the session rejected, plus synthesized samples that never reached
 *       the transport once everything has played out.</li>
 * </ul>
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.session.LoadHarness -Dbench.args="2000 60"}
 */
public final class LoadHarness {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = FORMAT.samplesFor(20);
    private static final long CYCLE_MS = 6000;
    private static final long SPEECH_MS = 1200;
    private static final int REPLY_SAMPLES = FORMAT.samplesFor(1500);
    /** Lateness of every outbound frame of every session. */
    private static final Recorder OUTBOUND = new Recorder();

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        Clock clock = Clock.system();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            callers.add(new Caller(i, sessions, clock));
        }
        for (Caller c : callers) {
            c.session.start();
        }
        System.out.printf("started %d sessions%n", sessions);

        int drivers = 2;
        ScheduledExecutorService driver = Executors.newScheduledThreadPool(drivers, r -> {
            Thread t = new Thread(r, "driver");
            t.setDaemon(true);
            return t;
        });
        Recorder[] inboundParts = new Recorder[drivers];
        for (int d = 0; d < drivers; d++) {
            int part = d;
            Recorder rec = new Recorder();
            inboundParts[d] = rec;
            long[] tick = {0};
            long first = clock.nanoTime() + 20_000_000L;
            driver.scheduleAtFixedRate(() -> {
                // The fixed-rate schedule's nominal time for this tick.
                long due = first + tick[0]++ * 20_000_000L;
                for (int i = part; i < callers.size(); i += drivers) {
                    callers.get(i).deliver(due);
                    rec.add(clock.nanoTime() - due);
                }
            }, Math.max(0, first - clock.nanoTime()), 20_000_000L, TimeUnit.NANOSECONDS);
        }

        Thread.sleep(warmup * 1000L);
        gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        for (Recorder r : inboundParts) {
            r.reset();
        }
        OUTBOUND.reset();
        long turnsBefore = callers.stream().mapToLong(c -> c.turns.get()).sum();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();

        Thread.sleep(seconds * 1000L);

        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        long turns = callers.stream().mapToLong(c -> c.turns.get()).sum() - turnsBefore;
        driver.shutdownNow();
        driver.awaitTermination(5, TimeUnit.SECONDS);
        // Let every reply in flight play out before counting lost audio.
        Thread.sleep(3000);

        Recorder inbound = new Recorder();
        for (Recorder r : inboundParts) {
            inbound.addAll(r);
        }
        Recorder outbound = OUTBOUND;
        long lostSamples = 0;
        long rejected = 0;
        long errors = 0;
        for (Caller c : callers) {
            lostSamples += c.tts.produced.get() - c.transport.received.get();
            rejected += c.rejected.get();
            errors += c.errors.get();
            c.session.stop();
        }
        double cores = cpu / (double) wall;
        System.out.printf("%n| sessions | seconds | turns | inbound lateness p50/p99 ms | outbound lateness p50/p99 ms | frames lost | errors | CPU cores | CPU/session | heap/session |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|%n");
        System.out.printf("| %d | %d | %d | %.2f / %.2f | %.2f / %.2f | %d | %d | %.2f | %.2f %% of a core | %.0f KB |%n",
                sessions, seconds, turns, inbound.percentile(50), inbound.percentile(99),
                outbound.percentile(50), outbound.percentile(99), rejected + lostSamples / FRAME, errors, cores,
                100 * cores / sessions, (heapAfter - heapBefore) / 1024.0 / sessions);
        System.exit(0);
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    /** One simulated caller with its session. */
    static final class Caller {
        final VoiceSession session;
        final LoadTransport transport;
        final LoadTts tts = new LoadTts();
        final AtomicLong turns = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final long phaseNanos;
        final AudioFrame frame = AudioFrame.allocate(FORMAT, FRAME);
        final short[] tone = new short[FRAME];
        final short[] silence = new short[FRAME];

        Caller(int index, int count, Clock clock) {
            phaseNanos = TimeUnit.MILLISECONDS.toNanos(CYCLE_MS) * index / count;
            transport = new LoadTransport(clock);
            for (int i = 0; i < FRAME; i++) {
                tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 220 * i / FORMAT.sampleRate()));
            }
            session = VoiceSession.builder()
                    .clock(clock)
                    .config(SessionConfig.builder().sessionId("load-" + index).build())
                    .transport(transport)
                    .vad(new FakeVad())
                    .stt(new LoadStt())
                    .tts(tts)
                    .agent((ctx, text) -> {
                        turns.incrementAndGet();
                        return "Sure, here is the answer.";
                    })
                    .listener(new SessionListener() {
                        @Override
                        public void onError(SessionException error) {
                            errors.incrementAndGet();
                        }
                    })
                    .build();
        }

        void deliver(long dueNanos) {
            long t = Math.floorMod(dueNanos + phaseNanos, TimeUnit.MILLISECONDS.toNanos(CYCLE_MS));
            short[] src = t < TimeUnit.MILLISECONDS.toNanos(SPEECH_MS) ? tone : silence;
            System.arraycopy(src, 0, frame.samples(), 0, FRAME);
            frame.setLength(FRAME);
            frame.setTimestampNanos(dueNanos);
            try {
                transport.listener.onAudio(frame);
            } catch (RuntimeException e) {
                rejected.incrementAndGet();
            }
        }
    }

    /** Plays out in real time and measures how late each outbound frame arrived. */
    static final class LoadTransport implements Transport {
        final Clock clock;
        final RealTimePlayout playout = new RealTimePlayout(FORMAT.sampleRate(), 1);
        final AtomicLong received = new AtomicLong();
        volatile TransportListener listener;
        private long drainAt = Long.MIN_VALUE;

        LoadTransport(Clock clock) {
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
            this.listener = listener;
        }

        @Override
        public synchronized void send(AudioFrame f) {
            long now = clock.nanoTime();
            long late = now - drainAt;
            // A gap of more than 200 ms is a new reply, not a late frame.
            if (drainAt != Long.MIN_VALUE && late > 0 && late < 200_000_000L) {
                OUTBOUND.add(late);
            } else if (late <= 0) {
                OUTBOUND.add(0);
            }
            drainAt = Math.max(now, drainAt) + FORMAT.nanosFor(f.length());
            playout.enqueue(f.length(), now);
            received.addAndGet(f.length());
        }

        @Override
        public synchronized void clearPlayback() {
            playout.clear(clock.nanoTime());
            drainAt = Long.MIN_VALUE;
        }

        @Override
        public synchronized long playedSamples() {
            return playout.played(clock.nanoTime());
        }

        @Override
        public void close() {
        }
    }

    /** Answers every finalize at once with a fixed transcript. */
    static final class LoadStt implements SttProvider {
        @Override
        public String name() {
            return "load-stt";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            return new SttStream() {
                @Override
                public void write(AudioFrame frame) {
                }

                @Override
                public void finalizeUtterance() {
                    listener.onTranscript(Transcript.fin("what is the answer", true));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Returns 1.5 s of audio at once when the reply's text is complete. */
    static final class LoadTts implements TtsProvider {
        final AtomicLong produced = new AtomicLong();

        @Override
        public String name() {
            return "load-tts";
        }

        @Override
        public TtsStream open(TtsRequest request, TtsListener listener) {
            return new TtsStream() {
                @Override
                public void pushText(String chunk) {
                }

                @Override
                public void flush() {
                    AudioFrame f = AudioFrame.allocate(FORMAT, FRAME);
                    for (int sent = 0; sent < REPLY_SAMPLES; sent += FRAME) {
                        f.setLength(FRAME);
                        listener.onAudio(f);
                        produced.addAndGet(FRAME);
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

    /**
     * Latencies in fixed 10 µs buckets up to 1 s (larger values in the last bucket), so the
     * harness itself allocates nothing while it measures and does not disturb the collector.
     */
    static final class Recorder {
        private static final long BUCKET_NANOS = 10_000L;
        private final java.util.concurrent.atomic.AtomicLongArray counts = new java.util.concurrent.atomic.AtomicLongArray(100_001);

        void add(long nanos) {
            int b = (int) Math.min(counts.length() - 1, Math.max(0, nanos) / BUCKET_NANOS);
            counts.incrementAndGet(b);
        }

        void addAll(Recorder other) {
            for (int i = 0; i < counts.length(); i++) {
                long c = other.counts.get(i);
                if (c != 0) {
                    counts.addAndGet(i, c);
                }
            }
        }

        void reset() {
            for (int i = 0; i < counts.length(); i++) {
                counts.set(i, 0);
            }
        }

        /** The upper edge of the bucket holding the p-th percentile, in milliseconds. */
        double percentile(double p) {
            long total = 0;
            for (int i = 0; i < counts.length(); i++) {
                total += counts.get(i);
            }
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(p / 100.0 * total);
            long seen = 0;
            for (int i = 0; i < counts.length(); i++) {
                seen += counts.get(i);
                if (seen >= rank) {
                    return i == 0 ? 0 : (i + 1) * BUCKET_NANOS / 1e6;
                }
            }
            return (counts.length()) * BUCKET_NANOS / 1e6;
        }
    }
}
