package io.parley.bench.recording;

import io.parley.recording.store.FileRecordingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Time to record a one-hour, 1,000-turn conversation (both audio sides plus about 16,000
 * events) as fast as the recorder can take it: how much headroom recording leaves a real-time
 * session.
 *
 * <pre>
 * mvn -q -pl benchmarks exec:exec -Dbench.args="RecordHourBenchmark -f 1 -wi 1 -i 3 -bm ss"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecordHourBenchmark {

    private Path dir;
    private int n;

    @Setup(Level.Iteration)
    public void folder() throws IOException {
        dir = Files.createTempDirectory("parley-record-bench");
    }

    @Benchmark
    public void recordOneHour() {
        HourLongRecording.record(FileRecordingStore.open(dir), "hour-" + n++);
    }

    @TearDown(Level.Iteration)
    public void delete() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
