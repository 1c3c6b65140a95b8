package io.parley.recording;

import io.parley.testing.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.RecordingExporter;
import io.parley.recording.privacy.ConsentRegistry;
import io.parley.recording.privacy.ConsentType;
import io.parley.recording.privacy.PrivacyManager;
import io.parley.recording.privacy.Redactor;
import io.parley.recording.privacy.RetentionPolicies;
import io.parley.recording.privacy.UserDataDeletion;
import io.parley.recording.store.FileRecordingStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smaller failures of issue 13 (items 6 to 10) and the recorder's listener callbacks. */
class RecorderEdgeCasesTest {

    @TempDir
    Path dir;

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));

    @Test
    void pauseAndSaveAsWorkWithoutAudioAndTheRenameNoteIsWrittenOnlyOnSuccess() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).captureAudio(false).build();
        rec.start("text-only");
        rec.pause();
        rec.resume();
        rec.saveAs("renamed");
        rec.stop();
        assertThat(store.exists("text-only")).isFalse();
        assertThat(store.load("renamed").messages()).extracting(RecordingEvent::content)
                .containsSubsequence("recording paused", "recording resumed", "recording renamed from text-only to renamed");
        rec.start("again");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> rec.saveAs("renamed"))).isInstanceOf(RecordingException.class);
        rec.stop();
        assertThat(store.load("again").messages()).extracting(RecordingEvent::content).noneMatch(c -> c.contains("renamed"));
    }

    @Test
    void listenersHearStartChunksProblemsAndStopInOrder() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        List<String> heard = new CopyOnWriteArrayList<>();
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).listenerExecutor(Runnable::run)
                .listener(new RecordingListener() {
                    @Override
                    public void onStarted(RecordingMetadata m, boolean resumed) {
                        heard.add("started " + m.name() + " " + resumed);
                    }

                    @Override
                    public void onStopped(RecordingMetadata m) {
                        heard.add("stopped " + m.name() + " " + m.status());
                    }

                    @Override
                    public void onChunkWritten(String name, long frames) {
                        heard.add("chunk " + frames / 16_000);
                    }
                }).build();
        rec.start("call");
        SessionRecorderTest.twoTurnsWithBargeIn(new ScriptedConversation(clock, rec));
        rec.stop();
        assertThat(heard.get(0)).isEqualTo("started call false");
        assertThat(heard).anyMatch(h -> h.startsWith("chunk "));
        assertThat(heard.get(heard.size() - 1)).isEqualTo("stopped call STOPPED");
    }

    @Test
    void deletingAUsersDataWhileTheyAreRecordedStopsTheRecordingFirst() {
        FileRecordingStore store = FileRecordingStore.open(dir.resolve("store"));
        ConsentRegistry consents = ConsentRegistry.inMemory(Clock.systemUTC());
        consents.grant("ada", ConsentType.TRANSCRIPT);
        consents.grant("ada", ConsentType.RECORDING);
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).user("ada", "Ada").consents(consents).build();
        rec.start("live");
        rec.message(EventType.USER_MESSAGE, "hello");
        UserDataDeletion d = new PrivacyManager(store, consents, RetentionPolicies.defaults(), Clock.systemUTC())
                .deleteUserData("ada");
        assertThat(d.deleted()).containsExactly("live");
        assertThat(d.consentsForgotten()).isTrue();
        assertThat(rec.state()).isEqualTo(RecorderState.IDLE);
        assertThat(store.exists("live")).isFalse();
        assertThat(consents.has("ada", ConsentType.TRANSCRIPT)).isFalse();
    }

    @Test
    void exportsNeutraliseFormulasEscapeControlCharactersKeepNewlinesAndFollowTime() throws Exception {
        FileRecordingStore store = FileRecordingStore.open(dir.resolve("store"));
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).captureAudio(false).redactor(Redactor.none()).build();
        rec.start("odd");
        rec.message(EventType.USER_MESSAGE, "=HYPERLINK(\"http://evil\")");
        rec.message(EventType.USER_MESSAGE, "bell \u0007 and \u0001 and \u000B here");
        rec.message(EventType.BOT_RESPONSE, "line one\nline two");
        rec.stop();
        Recording r = store.load("odd");

        String csv = text(r, ExportFormat.CSV);
        assertThat(csv).contains("'=HYPERLINK").doesNotContain(",=HYPERLINK", "\"=HYPERLINK");
        String xml = text(r, ExportFormat.XML);
        assertThat(xml).contains("bell \\u0007 and \\u0001 and \\u000B here");
        Path out = dir.resolve("out");
        RecordingExporter.create().export(r, ExportFormat.XML, out);
        assertThat(out.toFile().list()).containsExactly("odd.xml");
        String html = text(r, ExportFormat.HTML);
        assertThat(html).contains("line one\nline two", ".msg .text{white-space:pre-wrap}");

        // A failed export leaves no temporary file behind.
        Files.createDirectories(out.resolve("odd.csv").resolve("blocker"));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RecordingExporter.create().export(r, ExportFormat.CSV, out)))
                .isInstanceOf(RecordingException.class);
        assertThat(out.toFile().list()).containsExactlyInAnyOrder("odd.xml", "odd.csv");

        // A spoken turn is stamped when speech began, earlier than events written before it: exports follow time.
        Recording ordered = new Recording(r.metadata(), List.of(
                RecordingEvent.of(EventType.BOT_RESPONSE, clock.now().plusSeconds(5), "Bot", "bot", "second").withSeq(1),
                RecordingEvent.of(EventType.USER_MESSAGE, clock.now().plusSeconds(2), "U", "u", "first").withSeq(2)),
                java.util.Optional::empty, List.of(), r.report(), 0);
        String txt = text(ordered, ExportFormat.TXT);
        assertThat(txt.indexOf("first")).isLessThan(txt.indexOf("second"));
    }

    private static String text(Recording r, ExportFormat f) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RecordingExporter.create().export(r, f, b);
        return b.toString(StandardCharsets.UTF_8);
    }

    static Duration ms(long v) {
        return Duration.ofMillis(v);
    }
}
