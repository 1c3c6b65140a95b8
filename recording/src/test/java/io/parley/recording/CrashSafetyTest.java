package io.parley.recording;

import io.parley.testing.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.recording.security.KeyProvider;
import io.parley.recording.store.FileRecordingStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class CrashSafetyTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"plain", "encrypted"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyCompleteEventSurvivesAKilledProcess(String mode) throws Exception {
        Path root = dir.resolve("store");
        Path marker = dir.resolve("ready");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CrashingRecorderMain.class.getName(), root.toString(), marker.toString(), mode, "20")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(marker) && System.nanoTime() < deadline) {
                assertThat(child.waitFor(20, TimeUnit.MILLISECONDS)).as("child exited early: %s",
                        Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "").isFalse();
            }
            assertThat(marker).as("child never became ready").exists();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long atLeast = Long.parseLong(Files.readString(marker).trim());

        FileRecordingStore.Builder b = FileRecordingStore.builder(root);
        if (mode.equals("encrypted")) {
            b.encryption(KeyProvider.of("k1", CrashingRecorderMain.KEY));
        }
        FileRecordingStore store = b.build();
        Recording r = store.load("crashy");
        assertThat(r.report().cleanlyStopped()).isFalse();
        assertThat(r.report().problems()).anyMatch(p -> p.contains("not stopped cleanly"));
        assertThat(r.report().damagedLines()).isZero();
        List<RecordingEvent> ev = r.events();
        assertThat((long) ev.size()).isGreaterThanOrEqualTo(atLeast);
        assertThat(ev).extracting(RecordingEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, ev.size()).boxed().toList());
        assertThat(r.messages()).extracting(RecordingEvent::content).contains("question number 0", "answer number 19");
        assertThat(r.audio().orElseThrow().frames()).isPositive();
        assertThat(store.list()).singleElement().satisfies(s -> assertThat(s.messageCount()).isEqualTo(r.messages().size()));

        // Reopening repairs whatever the kill tore and records that it did.
        SessionRecorder rec = SessionRecorder.builder(store).clock(new VirtualClock(java.time.Instant.parse("2025-11-09T10:00:00Z")))
                .build();
        rec.appendTo("crashy");
        rec.stop();
        Recording repaired = store.load("crashy");
        assertThat(repaired.report().damaged()).isFalse();
        assertThat(repaired.report().cleanlyStopped()).isTrue();
        assertThat(repaired.events().size()).isGreaterThan(ev.size());
        assertThat(repaired.events()).extracting(RecordingEvent::seq).doesNotHaveDuplicates();
        assertThat(new File(root.toFile(), "crashy").list()).noneMatch(n -> n.endsWith(".tmp"));
    }
}
