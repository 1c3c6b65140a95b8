package io.parley.bench.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.echo.AdaptiveEchoCanceller;
import io.parley.audio.echo.EchoGate;
import io.parley.audio.vad.DspVad;
import io.parley.echo.webrtc.WebRtcEchoCanceller;
import io.parley.session.SessionState;
import io.parley.session.VoiceSession;
import io.parley.testing.ContinuousTts;
import io.parley.testing.ManualClock;
import io.parley.turn.AdaptiveTurnDetector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Allocation and cost per 20 ms while the agent speaks and the user is silent: the inbound
 * frame through the default pipeline ({@link DspVad}, {@link AdaptiveTurnDetector}, the
 * recognizer hand-off) and the outbound frame (the synthesizer's audio into the speech
 * buffer, the pacer's tick, the transport send). Time is a single-threaded manual clock that
 * allocates nothing itself, so {@code -prof gc}'s {@code gc.alloc.rate.norm} is what the
 * session allocates per 20 ms frame: {@code inbound}, {@code outbound}, and {@code both}.
 * {@code -p echo=aec} adds echo cancellation ({@code WebRtcEchoCanceller}) to the inbound
 * path, {@code gate} the echo gate, {@code aec+gate} both, {@code adaptive} the pure-Java
 * {@code AdaptiveEchoCanceller}; the agent's audio is their far end.
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.args="SpeakingFrameBenchmark -f 1 -wi 3 -i 5 -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpeakingFrameBenchmark {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final long FRAME_NANOS = 20_000_000L;

    /** Echo handling: {@code none}, {@code gate}, {@code aec}, {@code aec+gate} or {@code adaptive}. */
    @Param({"none"})
    public String echo = "none";

    private ManualClock clock;
    private VoiceSession session;
    private LoadTransport transport;
    private ContinuousTts tts;
    private AudioFrame inFrame;
    private long frames;

    @Setup
    public void setUp() {
        clock = new ManualClock();
        transport = new LoadTransport(clock);
        tts = new ContinuousTts(FORMAT);
        VoiceSession.Builder b = VoiceSession.builder()
                .clock(clock)
                .transport(transport)
                .vad(DspVad.defaults())
                .turnDetector(new AdaptiveTurnDetector())
                .stt(new LoadStt(clock, true))
                .tts(tts)
                .agent((ctx, text) -> "ok");
        if (echo.startsWith("aec")) {
            b.echoCancellation(WebRtcEchoCanceller.create());
        } else if (echo.equals("adaptive")) {
            b.echoCancellation(AdaptiveEchoCanceller.create());
        }
        if (echo.endsWith("gate")) {
            b.echoSuppression(EchoGate.create());
        }
        session = b.build();
        java.util.concurrent.CompletableFuture<Void> started = session.startAsync();
        for (int i = 0; i < 100 && !started.isDone(); i++) {
            clock.advance(FRAME_NANOS);
        }
        started.join();
        inFrame = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(20)).setLength(FORMAT.samplesFor(20));
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < inFrame.length(); i++) {
            inFrame.samples()[i] = (short) (r.nextGaussian() * 30);
        }
        session.say("A reply that goes on for as long as the benchmark runs.");
        for (int i = 0; i < 50 && session.state() != SessionState.SPEAKING; i++) {
            outbound();
        }
        if (session.state() != SessionState.SPEAKING) {
            throw new IllegalStateException("the agent is not speaking: " + session.state());
        }
    }

    @TearDown
    public void tearDown() {
        System.out.printf("%n[clock calls per outbound frame: %.2f schedule, %.2f execute, %.2f executeBlocking]%n",
                clock.schedules() / (double) Math.max(1, frames), clock.executes() / (double) Math.max(1, frames),
                clock.blockingCalls() / (double) Math.max(1, frames));
        java.util.concurrent.CompletableFuture<Void> stopped = session.stopAsync();
        for (int i = 0; i < 1000 && !stopped.isDone(); i++) {
            clock.advance(FRAME_NANOS);
        }
    }

    /** 20 ms of user audio (background noise) while the agent speaks. */
    @Benchmark
    public long inbound() {
        inFrame.setTimestampNanos(clock.nanoTime());
        transport.listener.onAudio(inFrame);
        return clock.nanoTime();
    }

    /**
     * 20 ms of agent audio: the pacer hands a frame to the transport; the synthesizer, faster
     * than real time as real ones are, tops the speech up by 100 ms whenever less than 200 ms
     * is waiting.
     */
    @Benchmark
    public long outbound() {
        frames++;
        if (tts.delivered() - transport.received.get() < FORMAT.samplesFor(200)) {
            tts.deliver(FORMAT.samplesFor(100));
        }
        clock.advance(FRAME_NANOS);
        return transport.received.get();
    }

    /** Both directions of one 20 ms frame. */
    @Benchmark
    public long both() {
        inbound();
        return outbound();
    }
}
