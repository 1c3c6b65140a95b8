package io.parley.bench.audio;

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
 * Cost of {@link DspVad} per 20 ms frame of 16 kHz audio when one thread serves many callers,
 * as the load harness's drivers do: each operation hands the next of {@code streams} detectors
 * its next frame, so at 2,000 streams every detector's state is cold in the cache, as it is in
 * a server (at 1 stream it is the detector's arithmetic alone). Each caller follows the load
 * harness's pattern: 1.5 s of a pocketsphinx-testdata recording every 6 s, faint noise
 * between. {@code fillOnly} is the cost of handing over the frame alone (subtract it).
 *
 * <pre>mvn -q -B -pl benchmarks exec:exec -Dbench.args="VadStreamsBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VadStreamsBenchmark {

    @Param({"1", "2000"})
    public int streams;

    private CallerTimeline.Callers callers;
    private Vad[] vads;

    @Setup
    public void setUp() throws IOException {
        callers = new CallerTimeline().new Callers(streams);
        vads = new Vad[streams];
        DspVad config = DspVad.defaults();
        for (int s = 0; s < streams; s++) {
            vads[s] = config.create(CallerTimeline.FORMAT);
        }
    }

    @Benchmark
    public int fillOnly() {
        return callers.advance();
    }

    @Benchmark
    public VadResult frame() {
        int s = callers.advance();
        return vads[s].process(callers.frame(s));
    }
}
