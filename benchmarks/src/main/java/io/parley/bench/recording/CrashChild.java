package io.parley.bench.recording;

import io.parley.recording.EventType;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingMerger;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.RecordingStatus;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.store.FileRecordingStore;
import io.parley.recording.store.RecordingWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The process {@link CrashHarness} kills: walks a recording through every phase (start,
 * append, pause, stop with packing, reopen, rename, merge, retention delete) and reports on
 * stdout each phase as it begins ({@code PHASE name nanos}) and each event the store confirmed
 * ({@code C recording seq}, printed only after {@code append} returned).
 *
 * <p>Arguments: store folder, mode ({@code plain}, {@code compressed}, {@code encrypted},
 * {@code compressed+encrypted}), seed.
 */
public final class CrashChild {

    static final byte[] KEY = new byte[32];
    static final int RATE = 16_000;

    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    private final Random random;
    private final short[] frame = new short[2 * RATE / 50];
    private Instant now = Instant.parse("2025-11-08T15:00:00Z");

    private CrashChild(long seed) {
        random = new Random(seed);
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) (3000 * Math.sin(i * 0.07));
        }
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        String mode = args[1];
        FileRecordingStore.Builder b = FileRecordingStore.builder(root).compress(mode.contains("compressed"));
        if (mode.contains("encrypted")) {
            b.encryption(KeyProvider.of("k1", KEY));
        }
        new CrashChild(Long.parseLong(args[2])).run(b.build());
        System.exit(0);
    }

    static RecordingMetadata metadata(String name, Instant at) {
        return new RecordingMetadata(name, "s1", "u1", "Ada", "bot", "Parley", "m", "default", at, at,
                RecordingStatus.RECORDING, RATE, List.of(), false, null, 0);
    }

    private void run(FileRecordingStore store) {
        phase("setup");
        RecordingWriter s = store.create(metadata("s", now));
        long sseq = 0;
        for (int i = 0; i < 20; i++) {
            sseq = append(s, "s", sseq, "side note " + i);
        }
        s.updateMetadata(s.metadata().withStatus(RecordingStatus.STOPPED, now));
        s.close();

        phase("start");
        RecordingWriter w = store.create(metadata("r", now));
        long seq = append(w, "r", 0, "recording started");

        phase("append");
        int n = 150 + random.nextInt(250);
        for (int i = 0; i < n; i++) {
            seq = append(w, "r", seq, (i % 2 == 0 ? "question " : "answer ") + i + " about the billing API");
        }

        phase("pause");
        w.updateMetadata(w.metadata().withStatus(RecordingStatus.PAUSED, now));
        seq = append(w, "r", seq, "recording paused");

        phase("stop");
        seq = append(w, "r", seq, "recording stopped");
        w.updateMetadata(w.metadata().withStatus(RecordingStatus.STOPPED, now));
        w.close();

        phase("reopen");
        w = store.append("r");
        seq = append(w, "r", w.lastSeq(), "recording resumed");
        for (int i = 0; i < 50; i++) {
            seq = append(w, "r", seq, "follow-up " + i);
        }
        w.updateMetadata(w.metadata().withStatus(RecordingStatus.STOPPED, now));
        w.close();

        phase("rename");
        store.rename("r", "r2");

        phase("merge");
        RecordingMerger.merge(store, List.of("r2", "s"), "m");

        phase("delete");
        store.delete("s");
        phase("done");
        out.flush();
    }

    private long append(RecordingWriter w, String name, long seq, String text) {
        now = now.plus(Duration.ofMillis(20));
        long next = seq + 1;
        w.append(RecordingEvent.of(next % 2 == 0 ? EventType.BOT_RESPONSE : EventType.USER_MESSAGE, now,
                "Ada", "u1", text).withSeq(next));
        out.println("C " + name + " " + next);
        out.flush();
        w.appendAudio(frame, 0, frame.length);
        return next;
    }

    private void phase(String name) {
        out.println("PHASE " + name + " " + System.nanoTime());
        out.flush();
    }
}
