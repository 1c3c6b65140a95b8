package io.parley.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import io.parley.turn.AdaptiveTurnDetector;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A long agent speech arms no timer per 20 ms frame (ENGINE-BUGS 13): on a single-threaded
 * manual clock (a repeating timer is one object for all its runs, a one-shot costs a handle),
 * the session speaks past its 30-minute inactivity timeout and the one-shot timers armed per
 * frame are counted. Same setting as the benchmark {@code SpeakingFrameBenchmark}.
 */
class LongSpeechTimersTest {

    @org.junit.jupiter.api.Test
    void speakingPastTheInactivityTimeoutArmsNoTimerPerFrame() {
        setUp();
        // 32 minutes of speech: past the default inactivity timeout of 30 minutes.
        for (int i = 0; i < 96_000; i++) {
            outbound();
        }
        long before = clock.schedules;
        for (int i = 0; i < 10_000; i++) {
            outbound();
        }
        org.assertj.core.api.Assertions.assertThat(clock.schedules - before)
                .as("one-shot timers armed in 10,000 frames of speech").isLessThan(100);
        org.assertj.core.api.Assertions.assertThat(session.state()).isEqualTo(SessionState.SPEAKING);
        tearDown();
    }

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final long FRAME_NANOS = 20_000_000L;

    private ManualClock clock;
    private VoiceSession session;
    private SinkTransport transport;
    private ContinuousTts tts;
    private long frames;

    public void setUp() {
        clock = new ManualClock();
        transport = new SinkTransport(clock);
        tts = new ContinuousTts();
        session = VoiceSession.builder()
                .clock(clock)
                .transport(transport)
                .vad(DspVad.defaults())
                .turnDetector(new AdaptiveTurnDetector())
                .stt(io.parley.testing.FakeStt.builder(clock, new io.parley.testing.UserScript()).build())
                .tts(tts)
                .agent((ctx, text) -> "ok")
                .build();
        java.util.concurrent.CompletableFuture<Void> started = session.startAsync();
        for (int i = 0; i < 100 && !started.isDone(); i++) {
            clock.advance(FRAME_NANOS);
        }
        started.join();
        session.say("A reply that goes on for as long as the benchmark runs.");
        for (int i = 0; i < 50 && session.state() != SessionState.SPEAKING; i++) {
            outbound();
        }
        if (session.state() != SessionState.SPEAKING) {
            throw new IllegalStateException("the agent is not speaking: " + session.state());
        }
    }

    public void tearDown() {
        java.util.concurrent.CompletableFuture<Void> stopped = session.stopAsync();
        for (int i = 0; i < 1000 && !stopped.isDone(); i++) {
            clock.advance(FRAME_NANOS);
        }
    }

    /**
     * 20 ms of agent audio: the pacer hands a frame to the transport; the synthesizer, faster
     * than real time as real ones are, tops the speech up by 100 ms whenever less than 200 ms
     * is waiting.
     */
    public long outbound() {
        frames++;
        if (tts.delivered - transport.sent < FORMAT.samplesFor(200)) {
            tts.deliver(FORMAT.samplesFor(100));
        }
        clock.advance(FRAME_NANOS);
        return transport.sent;
    }

    /** A synthesizer whose reply never ends; the benchmark feeds it 20 ms at a time. */
    static final class ContinuousTts implements TtsProvider {
        private final AudioFrame frame = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(100));
        private TtsListener listener;
        long delivered;

        @Override
        public String name() {
            return "continuous";
        }

        @Override
        public TtsStream open(TtsRequest request, TtsListener l) {
            this.listener = l;
            return new TtsStream() {
                @Override
                public void pushText(String chunk) {
                }

                @Override
                public void flush() {
                }

                @Override
                public void cancel() {
                    listener = null;
                }

                @Override
                public void close() {
                    listener = null;
                }
            };
        }

        void deliver(int samples) {
            TtsListener l = listener;
            if (l != null) {
                frame.setLength(samples);
                l.onAudio(frame);
                delivered += samples;
            }
        }
    }

    /** Plays out at real time on the manual clock; counts what it was handed. */
    static final class SinkTransport implements Transport {
        final ManualClock clock;
        final RealTimePlayout playout = new RealTimePlayout(FORMAT.sampleRate(), 1);
        TransportListener listener;
        long sent;

        SinkTransport(ManualClock clock) {
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
        public void start(TransportListener l) {
            this.listener = l;
        }

        @Override
        public void send(AudioFrame f) {
            playout.enqueue(f.length(), clock.nanoTime());
            sent += f.length();
        }

        @Override
        public void clearPlayback() {
            playout.clear(clock.nanoTime());
        }

        @Override
        public long playedSamples() {
            return playout.played(clock.nanoTime());
        }

        @Override
        public void close() {
        }
    }

    /**
     * Single-threaded time for the benchmark: tasks run when time is advanced, blocking work
     * runs inline, a repeating timer is one object for all its runs. It allocates only a
     * handle per one-shot {@link #schedule} (which any clock does).
     */
    static final class ManualClock implements Clock {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(256);
        private final ArrayDeque<Timer> timers = new ArrayDeque<>(64);
        private final java.util.ArrayList<Repeat> repeats = new java.util.ArrayList<>(4);
        private long now = 1_000_000_000L;
        long schedules;

        private final class Timer implements Cancellable {
            final Runnable task;
            final long due;
            boolean cancelled;

            Timer(Runnable task, long due) {
                this.task = task;
                this.due = due;
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        }

        private final class Repeat implements Cancellable {
            final Runnable task;
            final long period;
            long next;
            boolean cancelled;

            Repeat(Runnable task, long period) {
                this.task = task;
                this.period = period;
                this.next = now + period;
            }

            @Override
            public void cancel() {
                cancelled = true;
                repeats.remove(this);
            }
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Instant now() {
            return Instant.ofEpochSecond(0, now);
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        @Override
        public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
            schedules++;
            Timer t = new Timer(task, now + unit.toNanos(delay));
            timers.add(t);
            return t;
        }

        @Override
        public Cancellable scheduleRepeating(Runnable task, long period, TimeUnit unit) {
            Repeat r = new Repeat(task, unit.toNanos(period));
            repeats.add(r);
            return r;
        }

        @Override
        public void executeBlocking(Runnable task) {
            tasks.add(task);
        }

        void advance(long nanos) {
            now += nanos;
            runDue();
        }

        void runDue() {
            for (int guard = 0; guard < 10_000; guard++) {
                Runnable r = tasks.poll();
                if (r != null) {
                    r.run();
                    continue;
                }
                if (runOneRepeat()) {
                    continue;
                }
                if (!runOneTimer()) {
                    return;
                }
            }
        }

        /** Runs the first repeating timer that is due; indexed, so that it allocates nothing. */
        private boolean runOneRepeat() {
            for (int i = 0; i < repeats.size(); i++) {
                Repeat rep = repeats.get(i);
                if (!rep.cancelled && rep.next <= now) {
                    rep.next += rep.period;
                    rep.task.run();
                    return true;
                }
            }
            return false;
        }

        private boolean runOneTimer() {
            int n = timers.size();
            for (int i = 0; i < n; i++) {
                Timer t = timers.poll();
                if (t.cancelled) {
                    continue;
                }
                if (t.due <= now) {
                    t.task.run();
                    return true;
                }
                timers.add(t);
            }
            return false;
        }
    }
}
