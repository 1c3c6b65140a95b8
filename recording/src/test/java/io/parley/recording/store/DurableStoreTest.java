package io.parley.recording.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.testing.VirtualClock;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingMerger;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.RecordingStatus;
import io.parley.recording.SessionRecorder;
import io.parley.recording.TestConversations;
import io.parley.recording.EventType;
import io.parley.recording.security.KeyProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The states a kill can leave behind, built by hand: the store never prefers a file that may be
 * partial, reports every truncation (even of sealed files cut at a record boundary) and keeps a
 * recording's WAV readable by standard tools while it is still being written.
 */
class DurableStoreTest {

    static final byte[] KEY = new byte[32];

    @TempDir
    Path dir;

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));

    FileRecordingStore packedStore(Path root) {
        return FileRecordingStore.builder(root).compress(true).encryption(KeyProvider.of("k1", KEY)).build();
    }

    @Test
    void aKillBetweenPackingAndRemovingTheJournalLosesNothingAndReopeningTidiesUp() throws Exception {
        FileRecordingStore plain = FileRecordingStore.open(dir.resolve("a"));
        TestConversations.record(plain, clock, "call");
        Path journal = dir.resolve("a/call/events.jsonl");
        byte[] full = Files.readAllBytes(journal);
        // The same recording packed, with the journal still present (killed just after the rename).
        FileRecordingStore packed = FileRecordingStore.builder(dir.resolve("a")).compress(true).build();
        packed.append("call").close();
        assertThat(dir.resolve("a/call/events.blk")).exists();
        Files.write(journal, Arrays.copyOf(full, full.length / 2));
        Files.writeString(dir.resolve("a/call/audio-0001.blk.tmp"), "half-written");

        Recording r = packed.load("call");
        assertThat(r.report().damaged()).as("a complete packed log wins over a torn journal: %s", r.report()).isFalse();
        assertThat(r.events()).hasSizeGreaterThan(10);
        SessionRecorder rec = SessionRecorder.builder(packed).clock(clock).build();
        rec.appendTo("call");
        rec.stop();
        assertThat(new File(dir.resolve("a/call").toString()).list()).noneMatch(n -> n.endsWith(".tmp"))
                .doesNotContain("events.jsonl");
        assertThat(packed.load("call").events()).hasSizeGreaterThanOrEqualTo(r.events().size() + 3);
        assertThat(packed.load("call").messages()).anyMatch(e -> e.content().startsWith("recovered after a crash: removed"));
        assertThat(packed.load("call").report().damaged()).isFalse();
    }

    @Test
    void sealedFilesCutAtABoundaryAreReportedNotPassedOffAsComplete() throws Exception {
        FileRecordingStore enc = FileRecordingStore.builder(dir.resolve("e")).encryption(KeyProvider.of("k1", KEY)).build();
        TestConversations.record(enc, clock, "call");
        Recording whole = enc.load("call");
        assertThat(whole.report().damaged()).isFalse();
        // Drop the last two lines (the end marker and one event): still whole lines, all authentic.
        Path log = dir.resolve("e/call/events.jsonl");
        List<String> lines = Files.readAllLines(log);
        Files.write(log, lines.subList(0, lines.size() - 2));
        Recording cut = enc.load("call");
        assertThat(cut.events()).hasSize(whole.events().size() - 1);
        assertThat(cut.report().logTruncated()).isTrue();
        assertThat(cut.report().problems()).anyMatch(p -> p.contains("without its end marker"));

        // Sealed audio cut in half, at a block boundary or not.
        Path audio = dir.resolve("e/call/audio.pcm.blk");
        byte[] a = Files.readAllBytes(audio);
        Files.write(audio, Arrays.copyOf(a, a.length / 2));
        Recording halfAudio = enc.load("call");
        assertThat(halfAudio.report().audioTruncated()).isTrue();
        assertThat(halfAudio.audio().orElseThrow().frames()).isBetween(1L, whole.audio().orElseThrow().frames() - 1);

        // Packed and sealed logs: a block file cut anywhere is reported too.
        FileRecordingStore both = packedStore(dir.resolve("p"));
        TestConversations.record(both, clock, "call");
        Path blk = dir.resolve("p/call/events.blk");
        byte[] b = Files.readAllBytes(blk);
        Files.write(blk, Arrays.copyOf(b, b.length - 20));
        assertThat(both.load("call").report().damaged()).isTrue();
    }

    @Test
    void theWavHeaderIsCurrentWhileRecordingSoStandardReadersSeeTheAudio() throws Exception {
        FileRecordingStore store = FileRecordingStore.open(dir.resolve("w"));
        RecordingWriter w = store.create(new RecordingMetadata("live", null, "u", "U", "a", "A", null, "default",
                clock.now(), clock.now(), RecordingStatus.RECORDING, 16_000, List.of(), false, null, 0));
        short[] frame = new short[640];
        Arrays.fill(frame, (short) 1000);
        for (int i = 0; i < 75; i++) {
            w.appendAudio(frame, 0, frame.length);
        }
        // Not closed: as after a kill.
        long frames = AudioSystem.getAudioFileFormat(dir.resolve("w/live/audio.wav").toFile()).getFrameLength();
        assertThat(frames).isGreaterThanOrEqualTo(16_000).isLessThanOrEqualTo(75 * 320);
        w.close();
        assertThat(AudioSystem.getAudioFileFormat(dir.resolve("w/live/audio.wav").toFile()).getFrameLength())
                .isEqualTo(75 * 320);
    }

    @Test
    void encryptedStoresKeepNoPlaintextAnywhereIndexIncluded() throws Exception {
        FileRecordingStore store = packedStore(dir.resolve("s"));
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).user("u-ada", "Ada Lovelace").build();
        rec.start("call");
        rec.tag("customer-ada-lovelace-refund");
        rec.message(EventType.USER_MESSAGE, "my order is late");
        rec.stop();
        store.placeHold("call", "case Lovelace v. Parley");
        assertThat(store.list()).singleElement().satisfies(s -> assertThat(s.tags()).containsExactly("customer-ada-lovelace-refund"));
        try (var files = Files.walk(dir.resolve("s"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(raw).as(f.toString()).doesNotContain("Lovelace", "order is late", "u-ada");
            }
        }
    }

    @Test
    void reservedNamesAreRefused() {
        FileRecordingStore store = FileRecordingStore.open(dir.resolve("r"));
        for (String name : List.of("index.json", "holds.json", "INDEX.JSON", "consents.json", "draft.tmp")) {
            assertThatThrownBy(() -> RecordingMetadata.checkName(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        }
        TestConversations.record(store, clock, "index.json.bak");
        assertThat(store.list()).extracting(RecordingSummary::name).containsExactly("index.json.bak");
    }

    @Test
    void aMergeIsInvisibleUntilCompleteAndAnAbortedOneLeavesNothing() throws Exception {
        FileRecordingStore store = FileRecordingStore.open(dir.resolve("m"));
        TestConversations.record(store, clock, "one");
        TestConversations.record(store, clock, "two");
        RecordingWriter w = store.createStaged(new RecordingMetadata("joined", null, "u", "U", "a", "A", null,
                "default", clock.now(), clock.now(), RecordingStatus.RECORDING, 0, List.of(), false, null, 0));
        w.append(RecordingEvent.of(EventType.SYSTEM_MESSAGE, clock.now(), "system", "system", "x").withSeq(1));
        assertThat(store.exists("joined")).isFalse();
        assertThat(store.list()).extracting(RecordingSummary::name).doesNotContain("joined");
        w.abort();
        assertThat(store.exists("joined")).isFalse();
        assertThat(new File(dir.resolve("m").toString()).list()).noneMatch(n -> n.startsWith(".staging"));

        RecordingMerger.merge(store, List.of("one", "two"), "joined");
        Recording joined = store.load("joined");
        assertThat(joined.report().damaged()).isFalse();
        assertThat(joined.events()).hasSize(1 + 2 * store.load("one").events().size());
        // A staging folder left by a kill is removed when the store opens again.
        Files.createDirectories(dir.resolve("m/.staging-ghost-1"));
        Files.move(dir.resolve("m/one"), dir.resolve("m/.deleted-one-1"), StandardCopyOption.ATOMIC_MOVE);
        FileRecordingStore reopened = FileRecordingStore.open(dir.resolve("m"));
        assertThat(new File(dir.resolve("m").toString()).list()).noneMatch(n -> n.startsWith("."));
        assertThat(reopened.list()).extracting(RecordingSummary::name).containsExactlyInAnyOrder("two", "joined");
    }
}
