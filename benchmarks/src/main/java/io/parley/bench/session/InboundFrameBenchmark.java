package io.parley.bench.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.vad.DspVad;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeTts;
import io.parley.time.Clock;
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
 * Cost of one 20 ms inbound frame through {@code VoiceSession.processAudio}: the DSP VAD,
 * the prefix ring and the recognizer hand-off, in steady state (silence, or speech within a
 * turn). Run with {@code -prof gc} to see allocation per frame.
 *
 * <p>With {@code sessions} above 1, each call feeds the next of that many sessions in turn,
 * as a transport thread serving many calls does: every frame then finds its session's state
 * (VAD spectra, noise tracker, rings) cold in the cache, which is what a frame costs at
 * thousands of sessions per core ({@code -p sessions=2000} is the load harness's count).
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.args="InboundFrameBenchmark -f 1 -wi 3 -i 5 -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InboundFrameBenchmark {

    @Param({"silence", "speech"})
    public String signal;

    @Param({"1", "2000"})
    public int sessions;

    private VoiceSession[] all;
    private AudioFrame frame;
    private long t;
    private int next;

    @Setup
    public void setUp() {
        Clock clock = Clock.system();
        all = new VoiceSession[sessions];
        for (int i = 0; i < sessions; i++) {
            all[i] = VoiceSession.builder()
                    .clock(clock)
                    .vad(DspVad.defaults())
                    .stt(new LoadStt())
                    .tts(FakeTts.builder(clock).build())
                    .streamingAgent(FakeAgent.builder(clock).build())
                    .build();
            all[i].start();
        }
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        frame = AudioFrame.allocate(f, f.samplesFor(20)).setLength(f.samplesFor(20));
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < frame.length(); i++) {
            double v = "speech".equals(signal)
                    ? 6000 * Math.sin(2 * Math.PI * 180 * i / 16000.0) + 3000 * Math.sin(2 * Math.PI * 720 * i / 16000.0)
                    : 0;
            frame.samples()[i] = (short) (v + r.nextGaussian() * 30);
        }
    }

    @TearDown
    public void tearDown() {
        for (VoiceSession s : all) {
            s.stop();
        }
    }

    @Benchmark
    public long processFrame() {
        if (next == 0) {
            t += 20_000_000L;
        }
        frame.setTimestampNanos(t);
        all[next].processAudio(frame);
        next = next + 1 == all.length ? 0 : next + 1;
        return t;
    }
}
