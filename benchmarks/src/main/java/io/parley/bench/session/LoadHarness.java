package io.parley.bench.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.PlaybackEvent;
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
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.session.TurnCommit;
import io.parley.turn.AdaptiveTurnDetector;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs N sessions at real-time pace on the production clock through the real default
 * pipeline and reports how late frames were, whether any were lost, what each session costs
 * in CPU and heap, and the framework's per-turn overhead.
 *
 * <p>Each simulated caller speaks for 1.5 s every 6 s (phases spread over the cycle) with a
 * real human recording (pocketsphinx-testdata, Librivox), so {@link DspVad} and the
 * {@link AdaptiveTurnDetector} see speech, pauses and noise as in a call. The recognizer
 * consumes every frame, sends an interim result 120 ms after every 400 ms of loud audio and
 * answers a finalize after 200 ms; the synthesizer starts 150 ms after the reply's text is
 * complete and streams 1.5 s of audio in 100 ms chunks at twice real time. With
 * {@code --instant} the recognizer and synthesizer answer at once (first chunk on the calling
 * thread), so end-of-turn to first frame is the framework's own time.
 *
 * <ul>
 *   <li>inbound lateness: frame due time to the moment the session returned from it;</li>
 *   <li>outbound lateness: for each agent frame, how long after the transport's queue ran dry
 *       it arrived (0 when the pacer kept ahead of playout);</li>
 *   <li>lost: inbound frames the session rejected, plus synthesized samples that never reached
 *       the transport once everything has played out;</li>
 *   <li>end of turn to first frame: from the end-of-turn decision
 *       ({@code TurnCommit.at - transcriptDelay}) to the reply's first frame handed to the
 *       transport.</li>
 * </ul>
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.session.LoadHarness -Dbench.args="2000 60"}
 * (arguments: sessions, measured seconds, warm-up seconds, optional {@code --instant}).
 */
public final class LoadHarness {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = FORMAT.samplesFor(20);
    private static final long CYCLE_MS = 6000;
    private static final long SPEECH_MS = 1500;
    private static final int REPLY_SAMPLES = FORMAT.samplesFor(1500);
    private static final int CHUNK_SAMPLES = FORMAT.samplesFor(100);
    private static final Path SPEECH = Path.of("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav");
    /** Lateness of every outbound frame of every session. */
    private static final Recorder OUTBOUND = new Recorder();
    /** End-of-turn decision to first reply frame, every turn of every session. */
    private static final Recorder OVERHEAD = new Recorder();

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        boolean instant = a.remove("--instant");
        int sessions = a.size() > 0 ? Integer.parseInt(a.get(0)) : 2000;
        int seconds = a.size() > 1 ? Integer.parseInt(a.get(1)) : 60;
        int warmup = a.size() > 2 ? Integer.parseInt(a.get(2)) : 12;
        Clock clock = Clock.system();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        short[] speech = Wav.read(SPEECH).samples();
        short[] noise = new short[FORMAT.sampleRate()];
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (rnd.nextGaussian() * 30);
        }
        // Offset between the session clock's Instant and its nanoTime, to place TurnCommit.at.
        long instantOffset = clock.nanoTime() - toNanos(clock.now());

        gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            callers.add(new Caller(i, sessions, clock, speech, noise, instant, instantOffset));
        }
        for (Caller c : callers) {
            c.session.start();
        }
        System.out.printf("started %d sessions (%s providers)%n", sessions, instant ? "instant" : "realistic");
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
        OVERHEAD.reset();
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
        long interrupted = 0;
        for (Caller c : callers) {
            interrupted += c.interrupted.get();
            lostSamples += c.tts.produced.get() - c.transport.received.get();
            rejected += c.rejected.get();
            errors += c.errors.get();
            c.session.stop();
        }
        double cores = cpu / (double) wall;
        System.out.printf("%n| sessions | providers | seconds | turns | inbound lateness p50/p99 ms | outbound lateness p50/p99 ms | end of turn → first frame p50/p99 ms | frames lost | replies interrupted | errors | CPU cores | CPU/session | heap/session | load avg (1 min) |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
        System.out.printf("| %d | %s | %d | %d | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %d | %d | %d | %.2f | %.3f %% of a core | %.0f KB | %.1f |%n",
                sessions, instant ? "instant" : "realistic", seconds, turns, inbound.percentile(50), inbound.percentile(99),
                outbound.percentile(50), outbound.percentile(99), OVERHEAD.percentile(50), OVERHEAD.percentile(99),
                rejected + lostSamples / FRAME, interrupted, errors, cores,
                100 * cores / sessions, (heapAfter - heapBefore) / 1024.0 / sessions, os.getSystemLoadAverage());
        System.exit(0);
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    private static long toNanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** One simulated caller with its session. */
    static final class Caller {
        final VoiceSession session;
        final LoadTransport transport;
        final LoadTts tts;
        final AtomicLong turns = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong interrupted = new AtomicLong();
        final long phaseNanos;
        final AudioFrame frame = AudioFrame.allocate(FORMAT, FRAME);
        final short[] speech;
        final short[] noise;
        final int speechOffset;
        long sent;

        Caller(int index, int count, Clock clock, short[] speech, short[] noise, boolean instant, long instantOffset) {
            phaseNanos = TimeUnit.MILLISECONDS.toNanos(CYCLE_MS) * index / count;
            this.speech = speech;
            this.noise = noise;
            this.speechOffset = (int) ((long) index * 7919 * FRAME % Math.max(1, speech.length - FORMAT.samplesFor(SPEECH_MS)));
            transport = new LoadTransport(clock);
            tts = new LoadTts(clock, instant);
            session = VoiceSession.builder()
                    .clock(clock)
                    .config(SessionConfig.builder().sessionId("load-" + index).build())
                    .transport(transport)
                    .vad(DspVad.defaults())
                    .turnDetector(new AdaptiveTurnDetector())
                    .stt(new LoadStt(clock, instant))
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

                        @Override
                        public void onPlayback(PlaybackEvent event) {
                            if (event.kind() == PlaybackEvent.Kind.INTERRUPTED) {
                                interrupted.incrementAndGet();
                            }
                        }

                        @Override
                        public void onTurnCommitted(TurnCommit turn) {
                            if (!turn.typed() && turn.transcriptDelay() != null) {
                                transport.turnEnded(toNanos(turn.at()) + instantOffset - turn.transcriptDelay().toNanos());
                            }
                        }
                    })
                    .build();
        }

        void deliver(long dueNanos) {
            long cycle = TimeUnit.MILLISECONDS.toNanos(CYCLE_MS);
            long t = Math.floorMod(dueNanos + phaseNanos, cycle);
            short[] out = frame.samples();
            if (t < TimeUnit.MILLISECONDS.toNanos(SPEECH_MS)) {
                int from = speechOffset + (int) FORMAT.samplesForNanos(t);
                System.arraycopy(speech, Math.min(from, speech.length - FRAME), out, 0, FRAME);
            } else {
                int from = (int) (sent * FRAME % (noise.length - FRAME));
                System.arraycopy(noise, from, out, 0, FRAME);
            }
            sent++;
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
        private final java.util.ArrayDeque<Long> turnEnds = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<Long> replyStarts = new java.util.ArrayDeque<>();

        /** The session decided the user's turn ended at {@code nanos}; paired with the next reply's first frame. */
        synchronized void turnEnded(long nanos) {
            turnEnds.add(nanos);
            pair();
        }

        private void pair() {
            while (!turnEnds.isEmpty() && !replyStarts.isEmpty()) {
                long end = turnEnds.peek();
                long start = replyStarts.poll();
                if (start >= end) {
                    turnEnds.poll();
                    OVERHEAD.add(start - end);
                }
            }
        }

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
            long late = drainAt == Long.MIN_VALUE ? Long.MAX_VALUE : now - drainAt;
            // A gap of more than 200 ms (or the first frame ever) is a new reply, not a late frame.
            if (late > 0 && late < 200_000_000L) {
                OUTBOUND.add(late);
            } else if (late <= 0) {
                OUTBOUND.add(0);
            } else {
                replyStarts.add(now);
                pair();
            }
            drainAt = Math.max(now, drainAt) + FORMAT.nanosFor(f.length());
            playout.enqueue(f.length(), now);
            received.addAndGet(f.length());
        }

        @Override
        public synchronized void clearPlayback() {
            playout.clear(clock.nanoTime());
            drainAt = Long.MIN_VALUE;
            replyStarts.clear();
        }

        @Override
        public synchronized long playedSamples() {
            return playout.played(clock.nanoTime());
        }

        @Override
        public void close() {
        }
    }

    /**
     * Consumes every frame (its energy decides what it "hears"), sends an interim result 120 ms
     * after every 400 ms of loud audio and answers a finalize after 200 ms; or, instant, at once.
     */
    static final class LoadStt implements SttProvider {
        private static final Transcript INTERIM = Transcript.interim("what is");
        private static final Transcript FINAL = Transcript.fin("what is the answer", true);
        private static final long LOUD = 300L * 300L;
        private final Clock clock;
        private final boolean instant;

        /** Instant answers on the system clock. */
        LoadStt() {
            this(Clock.system(), true);
        }

        LoadStt(Clock clock, boolean instant) {
            this.clock = clock;
            this.instant = instant;
        }

        @Override
        public String name() {
            return "load-stt";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            return new SttStream() {
                private final int wordSamples = request.format().samplesFor(400);
                private int loudSamples;
                private long energy;

                @Override
                public void write(AudioFrame frame) {
                    short[] s = frame.samples();
                    long e = 0;
                    for (int i = 0; i < frame.length(); i++) {
                        e += s[i] * s[i];
                    }
                    energy += e;
                    if (frame.length() > 0 && e / frame.length() > LOUD) {
                        loudSamples += frame.length();
                        if (loudSamples >= wordSamples) {
                            loudSamples = 0;
                            answer(INTERIM, 120);
                        }
                    }
                }

                @Override
                public void finalizeUtterance() {
                    answer(FINAL, 200);
                }

                private void answer(Transcript t, long delayMs) {
                    if (instant) {
                        deliver(t);
                    } else {
                        clock.schedule(() -> deliver(t), delayMs, TimeUnit.MILLISECONDS);
                    }
                }

                private synchronized void deliver(Transcript t) {
                    listener.onTranscript(t);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /**
     * Streams 1.5 s of audio per reply in 100 ms chunks every 50 ms (twice real time), the first
     * 150 ms after the reply's text is complete; or, instant, the first chunk at once.
     */
    static final class LoadTts implements TtsProvider {
        final AtomicLong produced = new AtomicLong();
        private final Clock clock;
        private final boolean instant;

        LoadTts(Clock clock, boolean instant) {
            this.clock = clock;
            this.instant = instant;
        }

        @Override
        public String name() {
            return "load-tts";
        }

        @Override
        public TtsStream open(TtsRequest request, TtsListener listener) {
            return new TtsStream() {
                private final AudioFrame chunk = AudioFrame.allocate(FORMAT, CHUNK_SAMPLES);
                private int sent;
                private volatile boolean stopped;

                @Override
                public void pushText(String text) {
                }

                @Override
                public void flush() {
                    if (instant) {
                        step();
                    } else {
                        clock.schedule(this::step, 150, TimeUnit.MILLISECONDS);
                    }
                }

                private synchronized void step() {
                    if (stopped) {
                        return;
                    }
                    if (sent >= REPLY_SAMPLES) {
                        listener.onComplete();
                        return;
                    }
                    int n = Math.min(CHUNK_SAMPLES, REPLY_SAMPLES - sent);
                    chunk.setLength(n);
                    listener.onAudio(chunk);
                    sent += n;
                    produced.addAndGet(n);
                    clock.schedule(this::step, 50, TimeUnit.MILLISECONDS);
                }

                @Override
                public void cancel() {
                    stopped = true;
                }

                @Override
                public void close() {
                    stopped = true;
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
