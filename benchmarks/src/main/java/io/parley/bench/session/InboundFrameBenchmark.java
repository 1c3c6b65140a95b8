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
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.args="InboundFrameBenchmark -f 1 -wi 3 -i 5 -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InboundFrameBenchmark {

    @Param({"silence", "speech"})
    public String signal;

    private VoiceSession session;
    private AudioFrame frame;
    private long t;

    @Setup
    public void setUp() {
        Clock clock = Clock.system();
        session = VoiceSession.builder()
                .clock(clock)
                .vad(DspVad.defaults())
                .stt(new LoadStt())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).build())
                .build();
        session.start();
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
        session.stop();
    }

    @Benchmark
    public long processFrame() {
        t += 20_000_000L;
        frame.setTimestampNanos(t);
        session.processAudio(frame);
        return t;
    }
}
