package io.parley.bench.recording;

import io.parley.recording.Recording;
import io.parley.recording.RecordingAppender;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingMerger;
import io.parley.recording.EventType;
import io.parley.recording.export.BatchExporter;
import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.RecordingExporter;
import io.parley.recording.playback.PlaybackSink;
import io.parley.recording.playback.RecordingPlayer;
import io.parley.recording.privacy.ConsentRegistry;
import io.parley.recording.privacy.PrivacyManager;
import io.parley.recording.privacy.Redactor;
import io.parley.recording.privacy.RetentionPolicies;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.store.FileRecordingStore;
import io.parley.testing.VirtualClock;
import io.parley.audio.AudioFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs every operation on a one-hour, 1,000-turn recording stored with compression and
 * encryption (the README's configuration) and prints, per operation, the wall time and the peak
 * heap in use while it ran. Meant to run with a small heap, to show that nothing grows with the
 * recording's length:
 *
 * <pre>
 * mvn -q -pl benchmarks exec:exec -Dbench.jvmArgs=-Xmx128m \
 *     -Dbench.main=io.parley.bench.recording.HourOperationsHarness
 * </pre>
 *
 * Exits with status 1 if an operation fails (an OutOfMemoryError included).
 */
public final class HourOperationsHarness {

    private static final byte[] KEY = new byte[32];

    private HourOperationsHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("parley-hour-ops");
        try {
            run(dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static void run(Path dir) throws Exception {
        FileRecordingStore store = FileRecordingStore.builder(dir.resolve("store")).compress(true)
                .encryption(KeyProvider.of("k1", KEY)).build();
        System.out.printf(Locale.ROOT, "max heap %d MB, store compress + encrypt%n",
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "%-34s %10s %14s%n", "operation", "time ms", "peak heap MB");
        measure("record 1 h + stop (pack, seal)", () -> HourLongRecording.record(store, "hour"));
        long[] stored = {0};
        measure("load", () -> stored[0] = store.load("hour").events().size());
        Recording r = store.load("hour");
        measure("read all audio", () -> readAll(r));
        measure("replay (virtual time)", () -> replay(r));
        Path out = dir.resolve("exports");
        for (ExportFormat f : ExportFormat.values()) {
            RecordingExporter exporter = RecordingExporter.create();
            measure("export " + f.extension() + " (file)", () -> exporter.export(store.load("hour"), f, out));
        }
        measure("export html (stream)", () -> RecordingExporter.create().export(store.load("hour"), ExportFormat.HTML,
                OutputStream.nullOutputStream()));
        measure("batch export zip", () -> new BatchExporter(store, RecordingExporter.create())
                .export(Instant.parse("2025-11-08T00:00:00Z"), Instant.parse("2025-11-09T00:00:00Z"), ExportFormat.ZIP,
                        dir.resolve("batch")));
        PrivacyManager privacy = new PrivacyManager(store, ConsentRegistry.open(dir.resolve("consents.json"),
                Clock.systemUTC()), RetentionPolicies.defaults(), Clock.systemUTC());
        measure("export-my-data", () -> privacy.exportUserData("u1", dir.resolve("my-data.zip")));
        measure("reopen + append + stop", () -> {
            try (RecordingAppender a = RecordingAppender.open(store, "hour", Redactor.defaults())) {
                a.append(RecordingEvent.of(EventType.SYSTEM_MESSAGE, Instant.now(), "system", "system", "note"));
            }
        });
        measure("rename", () -> store.rename("hour", "hour-renamed"));
        measure("record second hour", () -> HourLongRecording.record(store, "hour-2"));
        measure("merge two hours", () -> RecordingMerger.merge(store, List.of("hour-renamed", "hour-2"), "merged"));
        measure("delete", () -> store.delete("merged"));
        System.out.printf(Locale.ROOT, "events stored: %d, store size on disk: %d MB%n", stored[0],
                size(dir.resolve("store")) >> 20);
    }

    private interface Op {
        void run() throws Exception;
    }

    private static void measure(String name, Op op) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        try {
            op.run();
        } catch (Throwable e) {
            System.out.printf(Locale.ROOT, "%-34s FAILED: %s%n", name, e);
            System.exit(1);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf(Locale.ROOT, "%-34s %10d %14.1f%n", name, ms, peak / 1048576.0);
    }

    private static void readAll(Recording r) {
        var t = r.audio().orElseThrow();
        short[] buf = new short[2 * 4096];
        long pos = 0;
        int n;
        while ((n = t.read(pos, buf, 4096)) > 0) {
            pos += n;
        }
        if (pos != t.frames()) {
            throw new IllegalStateException("read " + pos + " of " + t.frames() + " frames");
        }
    }

    private static void replay(Recording r) {
        VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:00:00Z"));
        long[] frames = {0};
        try (RecordingPlayer p = RecordingPlayer.builder(r).clock(clock).sink(new PlaybackSink() {
            @Override
            public void onAudio(AudioFrame stereo, Duration position) {
                frames[0] += stereo.length() / 2;
            }

            @Override
            public void onEvent(RecordingEvent event, Duration position) {
                // events are only counted by the player's position
            }
        }).build()) {
            p.play();
            clock.advance(p.length().plusSeconds(1));
        }
        if (frames[0] < r.audio().orElseThrow().frames() - 16_000) {
            throw new IllegalStateException("replayed " + frames[0] + " frames");
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
