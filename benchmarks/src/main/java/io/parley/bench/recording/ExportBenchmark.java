package io.parley.bench.recording;

import io.parley.recording.Recording;
import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.RecordingExporter;
import io.parley.recording.store.FileRecordingStore;
import java.io.IOException;
import java.io.OutputStream;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time to export a one-hour, 1,000-turn recording (16 kHz stereo audio, about 230 MB as WAV) in
 * each format, from a plain file store to a discarding stream (export work only, not disk speed).
 * ZIP carries the full audio; HTML references it.
 *
 * <pre>
 * mvn -q -pl benchmarks exec:exec -Dbench.args="ExportBenchmark -f 1 -wi 1 -i 3 -bm ss"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExportBenchmark {

    @Param({"TXT", "MD", "JSON", "CSV", "XML", "HTML", "PDF", "ZIP"})
    public ExportFormat format;

    private Path dir;
    private Recording recording;
    private final RecordingExporter exporter = RecordingExporter.create();

    @Setup(Level.Trial)
    public void record() throws IOException {
        dir = Files.createTempDirectory("parley-export-bench");
        FileRecordingStore store = FileRecordingStore.open(dir);
        HourLongRecording.record(store, "hour");
        recording = store.load("hour");
    }

    @Benchmark
    public void export() {
        exporter.export(recording, format, OutputStream.nullOutputStream());
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
