package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.audio.prosody.ProsodyTracker;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of prosody per 20 ms frame of 16 kHz audio when one thread serves many callers, as the
 * load harness's drivers do: each operation hands the next of {@code streams} trackers its
 * next frame, so at 2,000 streams every tracker's state is cold in the cache, as it is in a
 * server. Each caller follows the load harness's pattern: 1.5 s of a pocketsphinx-testdata
 * recording every 6 s, faint noise between; frames are marked voiced where {@link DspVad}'s
 * probability reaches 0.5, and a snapshot is taken where its speech decision ends, as the
 * session's inbound path does. {@code fillOnly} is the cost of handing over the frame alone
 * (subtract it); {@code voiceless} the same frames all marked voiceless (no pitch sought).
 *
 * <pre>mvn -q -B -pl benchmarks exec:exec -Dbench.args="ProsodyStreamsBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProsodyStreamsBenchmark {

    @Param({"1", "2000"})
    public int streams;

    private CallerTimeline.Callers callers;
    /** Per frame of the timeline: whether it is voiced, and whether the VAD's speech ends there. */
    private boolean[] voiced;
    private boolean[] ends;
    private ProsodyTracker[] trackers;

    @Setup
    public void setUp() throws IOException {
        CallerTimeline timeline = new CallerTimeline();
        int n = timeline.frames();
        voiced = new boolean[n];
        ends = new boolean[n];
        Vad vad = DspVad.defaults().create(CallerTimeline.FORMAT);
        AudioFrame f = AudioFrame.allocate(CallerTimeline.FORMAT, CallerTimeline.FRAME);
        boolean speaking = false;
        for (int k = 0; k < n; k++) {
            timeline.fill(f, k);
            VadResult r = vad.process(f);
            voiced[k] = r.probability() >= 0.5f;
            ends[k] = speaking && !r.speech();
            speaking = r.speech();
        }
        callers = timeline.new Callers(streams);
        trackers = new ProsodyTracker[streams];
        for (int s = 0; s < streams; s++) {
            trackers[s] = new ProsodyTracker(CallerTimeline.FORMAT);
        }
    }

    @Benchmark
    public int fillOnly() {
        return callers.advance();
    }

    @Benchmark
    public Object frame() {
        int s = callers.advance();
        int k = callers.latest(s);
        ProsodyTracker t = trackers[s];
        t.process(callers.frame(s), voiced[k]);
        return ends[k] ? t.snapshot() : t;
    }

    @Benchmark
    public Object voiceless() {
        int s = callers.advance();
        ProsodyTracker t = trackers[s];
        t.process(callers.frame(s), false);
        return t;
    }
}
