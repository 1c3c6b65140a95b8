package io.parley.recording.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.testing.VirtualClock;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingMerger;
import io.parley.recording.RecordingStatus;
import io.parley.recording.SessionRecorder;
import io.parley.recording.TestConversations;
import io.parley.recording.security.KeyProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRecordingStoreTest {

    static final byte[] KEY_A = new byte[32];
    static final byte[] KEY_B = new byte[32];

    static {
        Arrays.fill(KEY_B, (byte) 7);
    }

    @TempDir
    Path dir;

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));

    @Test
    void tornLastLineIsSkippedAndReported() throws Exception {
        FileRecordingStore store = FileRecordingStore.open(dir);
        TestConversations.record(store, clock, "torn");
        int before = store.load("torn").events().size();
        Files.writeString(dir.resolve("torn/events.jsonl"), "{\"seq\":999,\"timestamp\":\"2025-11-08T1",
                StandardOpenOption.APPEND);

        Recording r = store.load("torn");
        assertThat(r.events()).hasSize(before);
        assertThat(r.report().tornLines()).isEqualTo(1);
        assertThat(r.report().damaged()).isTrue();
        assertThat(r.report().problems()).anyMatch(p -> p.contains("last line") && p.contains("incomplete"));
    }

    @Test
    void damagedMiddleLineIsSkippedAndTheRestKept() throws Exception {
        FileRecordingStore store = FileRecordingStore.open(dir);
        TestConversations.record(store, clock, "damaged");
        Path log = dir.resolve("damaged/events.jsonl");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log));
        lines.set(2, "{not json");
        Files.write(log, lines);
        Recording r = store.load("damaged");
        assertThat(r.events()).hasSize(lines.size() - 2);
        assertThat(r.report().damagedLines()).isEqualTo(1);
        assertThat(r.report().problems()).anyMatch(p -> p.contains("line 3 is unreadable"));
    }

    @Test
    void encryptedRecordingsHoldNoPlaintextAndNeedTheRightKey() throws Exception {
        FileRecordingStore store = FileRecordingStore.builder(dir).encryption(KeyProvider.of("k1", KEY_A)).build();
        TestConversations.record(store, clock, "secret");
        for (Path f : Files.list(dir.resolve("secret")).toList()) {
            String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(raw).as(f.toString()).doesNotContain("OAuth2", "authorization framework");
        }
        assertThat(Files.readString(dir.resolve("secret/events.jsonl"))).startsWith("enc1:k1:");
        Recording ok = store.load("secret");
        assertThat(ok.messages()).extracting(RecordingEvent::content).contains("How do I implement OAuth2");
        assertThat(ok.audio().orElseThrow().frames()).isEqualTo(16 * 4300);

        FileRecordingStore wrong = FileRecordingStore.builder(dir).encryption(KeyProvider.of("k1", KEY_B)).build();
        assertThatThrownBy(() -> wrong.load("secret")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.DECRYPTION_FAILED)).hasMessageContaining("wrong key");
        FileRecordingStore none = FileRecordingStore.open(dir);
        assertThatThrownBy(() -> none.load("secret")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.DECRYPTION_FAILED)).hasMessageContaining("no KeyProvider");
        FileRecordingStore rotated = FileRecordingStore.builder(dir)
                .encryption(KeyProvider.of("k2", Map.of("k2", KEY_B, "k1", KEY_A))).build();
        assertThat(rotated.load("secret").events()).hasSameSizeAs(ok.events());

        Path audio = dir.resolve("secret/audio.pcm.blk");
        byte[] bytes = Files.readAllBytes(audio);
        bytes[bytes.length / 2] ^= 1;
        Files.write(audio, bytes);
        assertThatThrownBy(() -> readAll(store.load("secret").audio().orElseThrow()))
                .isInstanceOf(RecordingException.class).hasMessageContaining("damaged");

        Path log = dir.resolve("secret/events.jsonl");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log));
        String l = lines.get(1);
        lines.set(1, l.substring(0, 20) + (l.charAt(20) == 'A' ? 'B' : 'A') + l.substring(21));
        Files.write(log, lines);
        Recording altered = store.load("secret");
        assertThat(altered.report().damagedLines()).isEqualTo(1);
        assertThat(altered.events()).hasSize(ok.events().size() - 1);
    }

    @Test
    void compressedAndEncryptedRecordingsRoundTripAndCanBeResumed() throws Exception {
        FileRecordingStore store = FileRecordingStore.builder(dir).compress(true)
                .encryption(KeyProvider.of("k1", KEY_A)).flushPolicy(FlushPolicy.EVERY_EVENT_FSYNC).build();
        TestConversations.record(store, clock, "packed");
        assertThat(dir.resolve("packed")).isDirectoryContaining(p -> p.getFileName().toString().equals("events.blk"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("audio.blk"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().equals("events.jsonl"));
        Recording r = store.load("packed");
        assertThat(r.metadata().compressed()).isTrue();
        assertThat(r.metadata().keyId()).isEqualTo("k1");
        int events = r.events().size();
        assertThat(r.audio().orElseThrow().frames()).isEqualTo(16 * 4300);

        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).build();
        rec.appendTo("packed");
        rec.tag("second-look");
        rec.stop();
        Recording again = store.load("packed");
        assertThat(again.events()).hasSize(events + 3);
        assertThat(again.audio().orElseThrow().frames()).isEqualTo(16 * 4300);
        assertThat(store.tags("packed")).extracting(TagMark::label).containsExactly("found-solution", "second-look");

        FileRecordingStore gz = FileRecordingStore.builder(dir.resolve("gz")).compress(true).build();
        TestConversations.record(gz, clock, "zipped");
        assertThat(gz.load("zipped").messages()).hasSize(6);
        assertThat(Files.size(dir.resolve("gz/zipped/audio.blk"))).isLessThan(16L * 4300 * 4);
    }

    @Test
    void listsWithDurationMessagesSizeAndKeepsAnIndex() throws Exception {
        FileRecordingStore store = FileRecordingStore.open(dir);
        TestConversations.record(store, clock, "first");
        clock.advance(Duration.ofHours(1));
        TestConversations.record(store, clock, "second");
        List<RecordingSummary> list = store.list();
        assertThat(list).extracting(RecordingSummary::name).containsExactly("second", "first");
        RecordingSummary s = list.get(1);
        assertThat(s.messageCount()).isEqualTo(6);
        assertThat(s.duration()).isEqualTo(Duration.ofMillis(4300));
        assertThat(s.sizeBytes()).isGreaterThan(16L * 4300 * 4);
        assertThat(s.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(s.tags()).containsExactly("found-solution");
        assertThat(Files.readString(dir.resolve("index.json"))).contains("\"first\"", "\"second\"");
        store.delete("first");
        assertThat(store.list()).extracting(RecordingSummary::name).containsExactly("second");
        assertThat(Files.readString(dir.resolve("index.json"))).doesNotContain("\"first\"");
        assertThatThrownBy(() -> store.load("first")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND)).hasMessageContaining("no recording named 'first'");
        assertThatThrownBy(() -> store.load("../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void searchFindsMessagesWithTimestampsAcrossAndWithinRecordings() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        TestConversations.record(store, clock, "one");
        TestConversations.record(store, clock, "two");
        List<SearchHit> within = store.search("one", "TOKEN refresh");
        // The interrupted answer only counts what was heard ("Here is a toke"), so it does not match.
        assertThat(within).extracting(SearchHit::content).containsExactly("Show me token refresh");
        SearchHit first = within.get(0);
        assertThat(first.recording()).isEqualTo("one");
        assertThat(first.author()).isEqualTo("STRYK");
        assertThat(first.timestamp()).isAfter(Instant.parse("2025-11-08T15:45:00Z"));
        assertThat(first.audioOffset()).isEqualTo(Duration.ofMillis(3200));
        assertThat(store.search("token refresh")).extracting(SearchHit::recording).containsExactlyInAnyOrder("one", "two");
        assertThat(store.search("one", "implementation")).isEmpty();
        assertThat(store.search("one", "authorization")).singleElement().extracting(SearchHit::author).isEqualTo("Bot");
        assertThat(store.search("nothing like this")).isEmpty();
        assertThatThrownBy(() -> store.search(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tagsCanBeListedAndJumpedTo() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        TestConversations.record(store, clock, "tagged");
        assertThat(store.tags("tagged")).singleElement().satisfies(t -> {
            assertThat(t.label()).isEqualTo("found-solution");
            assertThat(t.audioOffset()).isEqualTo(Duration.ofMillis(4300));
        });
        assertThat(store.findTag("tagged", "FOUND-solution")).isPresent();
        assertThat(store.findTag("tagged", "missing")).isEmpty();
    }

    @Test
    void legalHoldBlocksDeletionAndRenameUntilReleased() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        TestConversations.record(store, clock, "evidence");
        store.placeHold("evidence", "case #12345");
        assertThat(store.hold("evidence")).get().extracting(LegalHold::reason).isEqualTo("case #12345");
        assertThatThrownBy(() -> store.delete("evidence")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.LEGAL_HOLD)).hasMessageContaining("case #12345");
        assertThatThrownBy(() -> store.rename("evidence", "other")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.LEGAL_HOLD));
        assertThatThrownBy(() -> store.placeHold("evidence", " ")).isInstanceOf(IllegalArgumentException.class);
        store.releaseHold("evidence");
        store.delete("evidence");
        assertThat(store.exists("evidence")).isFalse();
    }

    @Test
    void mergeInterleavesEventsChronologicallyAndConcatenatesAudio() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        TestConversations.record(store, clock, "part1");
        clock.advance(Duration.ofMinutes(10));
        TestConversations.record(store, clock, "part2");
        Recording p1 = store.load("part1");
        Recording p2 = store.load("part2");
        RecordingMerger.merge(store, List.of("part2", "part1"), "complete");
        Recording m = store.load("complete");
        assertThat(m.events()).hasSize(p1.events().size() + p2.events().size() + 1);
        assertThat(m.events().get(0).content()).isEqualTo("merged from part2, part1");
        assertThat(m.events()).extracting(RecordingEvent::timestamp).isSorted();
        assertThat(m.events()).extracting(RecordingEvent::seq).doesNotHaveDuplicates().isSorted();
        assertThat(m.audio().orElseThrow().frames()).isEqualTo(2L * 16 * 4300);
        RecordingEvent secondStart = m.messages().stream().filter(e -> e.content().equals("How do I implement OAuth2"))
                .skip(1).findFirst().orElseThrow();
        assertThat(m.audioOffset(secondStart)).isEqualTo(Duration.ofMillis(4300 + 1200));
        assertThat(m.duration()).isEqualTo(Duration.ofMillis(10 * 60_000 + 2 * 4300));
        assertThatThrownBy(() -> RecordingMerger.merge(store, List.of("part1"), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordingMerger.merge(store, List.of("part1", "part2"), "complete"))
                .isInstanceOfSatisfying(RecordingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.ALREADY_EXISTS));
        assertThatThrownBy(() -> RecordingMerger.merge(store, List.of("part1", "nope"), "y"))
                .isInstanceOfSatisfying(RecordingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND));
    }

    static void readAll(io.parley.recording.audio.AudioTrack t) {
        short[] buf = new short[2 * 4096];
        long pos = 0;
        int n;
        while ((n = t.read(pos, buf, 4096)) > 0) {
            pos += n;
        }
    }
}
