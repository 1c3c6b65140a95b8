package io.parley.bench.recording;

import io.parley.recording.EventType;
import io.parley.recording.RecordingAppender;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.RecordingStatus;
import io.parley.recording.privacy.Redactor;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.store.FileRecordingStore;
import io.parley.recording.store.FlushPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
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
 * Events per second appended to a recording's log, each one written through to the operating
 * system (and with FSYNC forced to the device) as the recorder does, with redaction on, plain or
 * encrypted.
 *
 * <pre>
 * mvn -q -pl benchmarks exec:exec -Dbench.args="AppendBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {

    @Param({"EVERY_EVENT", "EVERY_EVENT_FSYNC"})
    public FlushPolicy policy;

    @Param({"false", "true"})
    public boolean encrypted;

    private Path dir;
    private RecordingAppender appender;
    private RecordingEvent event;
    private long n;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("parley-append-bench");
        FileRecordingStore.Builder b = FileRecordingStore.builder(dir).flushPolicy(policy);
        if (encrypted) {
            b.encryption(KeyProvider.of("bench", new byte[32]));
        }
        FileRecordingStore store = b.build();
        Instant now = Instant.parse("2025-11-08T15:45:00Z");
        appender = RecordingAppender.create(store, new RecordingMetadata("bench", "s", "u1", "User", "bot", "Bot", "m",
                "default", now, now, RecordingStatus.RECORDING, 0, List.of(), false, null, 0), Redactor.defaults());
        event = RecordingEvent.of(EventType.USER_MESSAGE, now, "User", "u1",
                "Could you show me how the token refresh works when the access token has expired?")
                .withIds(1L, null).withTranscript(true, 0.93);
    }

    @Benchmark
    public RecordingEvent append() {
        return appender.append(event.withIds(++n, null));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        appender.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
