package io.parley.bench.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionConfig;
import io.parley.session.VoiceSession;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Per-turn framework overhead: from the end-of-turn decision to the first agent audio frame
 * handed to the transport, with providers and agent that answer instantly, so that all the
 * time measured is Parley's own.
 *
 * <ul>
 *   <li>{@code endOfTurnToFirstFrame}: on a virtual clock, the CPU cost of the whole path
 *       (endpointing timer, finalize, final transcript, agent, synthesizer, pacer) with no
 *       thread hand-offs; the recognizer, agent and synthesizer answer at once and do no work.</li>
 *   <li>{@code textTurnOnRealThreads}: on the production clock, a typed turn to the first
 *       frame, including the hand-offs between the event loop and the blocking pool; the
 *       agent and synthesizer answer at once on the thread that calls them.</li>
 * </ul>
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.args="TurnOverheadBenchmark -f 1 -wi 3 -i 5"}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TurnOverheadBenchmark {

    /** A session 1 ms before its end-of-turn decision, rebuilt for every invocation. */
    @State(Scope.Thread)
    public static class VirtualTurn {
        VirtualClock clock;
        VoiceSession session;
        InMemoryTransport transport;
        static final Duration EOT = Duration.ofMillis(220 + 510);

        @Setup(Level.Invocation)
        public void setUp() {
            clock = new VirtualClock();
            UserScript user = new UserScript().say(0, 220, "hello");
            transport = InMemoryTransport.builder(clock).script(user).build();
            session = VoiceSession.builder()
                    .clock(clock)
                    .config(SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(510)).build())
                    .transport(transport)
                    .vad(new FakeVad())
                    .stt(new LoadStt(clock, true))
                    .tts(new LoadTts(clock, true))
                    .agent((ctx, text) -> "Hi.")
                    .build();
            session.start();
            clock.advanceTo(EOT.minusMillis(1));
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            if (transport.sent().isEmpty()) {
                throw new IllegalStateException("the turn produced no audio at the end-of-turn instant");
            }
            session.stop();
        }
    }

    @Benchmark
    public Object endOfTurnToFirstFrame(VirtualTurn t) {
        t.clock.advanceTo(VirtualTurn.EOT);
        return t.transport;
    }

    /** A long-lived session on the production clock, answered instantly. */
    @State(Scope.Thread)
    public static class RealThreads {
        VoiceSession session;
        volatile CompletableFuture<Void> firstFrame;
        volatile CompletableFuture<Void> cleared;
        volatile boolean playing;

        @Setup(Level.Trial)
        public void setUp() {
            Clock clock = Clock.system();
            session = VoiceSession.builder()
                    .clock(clock)
                    .transport(new SignallingTransport(this))
                    .stt(new LoadStt(clock, true))
                    .tts(new LoadTts(clock, true))
                    .agent((ctx, text) -> "Hi.")
                    .build();
            session.start();
        }

        /** Cuts the previous reply outside the measurement, so its frames cannot be mistaken for the next one's. */
        @Setup(Level.Invocation)
        public void quiesce() throws Exception {
            if (playing) {
                CompletableFuture<Void> c = new CompletableFuture<>();
                cleared = c;
                session.interrupt();
                c.get(5, TimeUnit.SECONDS);
                playing = false;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            session.stop();
        }
    }

    @Benchmark
    public Object textTurnOnRealThreads(RealThreads t) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        t.firstFrame = f;
        t.session.sendText("hello");
        return f.get(5, TimeUnit.SECONDS);
    }

    /** Completes the pending future on the first frame of each reply. */
    static final class SignallingTransport implements Transport {
        private final RealThreads state;

        SignallingTransport(RealThreads state) {
            this.state = state;
        }

        @Override
        public AudioFormat inputFormat() {
            return AudioFormat.PCM_16K_MONO;
        }

        @Override
        public AudioFormat outputFormat() {
            return AudioFormat.PCM_16K_MONO;
        }

        @Override
        public void start(TransportListener listener) {
        }

        @Override
        public void send(AudioFrame frame) {
            state.playing = true;
            CompletableFuture<Void> f = state.firstFrame;
            if (f != null) {
                f.complete(null);
            }
        }

        @Override
        public void clearPlayback() {
            CompletableFuture<Void> c = state.cleared;
            if (c != null) {
                c.complete(null);
            }
        }

        @Override
        public long playedSamples() {
            // Plays instantly: the pacer never waits, so only the turn path is measured.
            return Long.MAX_VALUE / 4;
        }

        @Override
        public void close() {
        }
    }
}
