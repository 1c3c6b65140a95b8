package io.parley.recording;

import io.parley.testing.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.recording.audio.AudioTrack;
import io.parley.recording.privacy.ConsentRegistry;
import io.parley.recording.privacy.ConsentType;
import io.parley.recording.store.FileRecordingStore;
import io.parley.session.SessionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecorderTest {

    static final Instant T0 = Instant.parse("2025-11-08T15:45:00Z");

    @TempDir
    Path dir;

    final VirtualClock clock = new VirtualClock(T0);

    SessionRecorder.Builder recorder(FileRecordingStore store) {
        return SessionRecorder.builder(store).clock(clock).user("123", "STRYK").agent("bot", "Bot")
                .model("claude-3-5-sonnet").sessionId("s1");
    }

    /** Two turns, the second cut short by the user after 600 ms of a 2 s answer. */
    static void twoTurnsWithBargeIn(ScriptedConversation c) {
        c.state(SessionState.INITIAL, SessionState.LISTENING, "start");
        c.silence(Duration.ofMillis(200));
        long t1 = c.userTurn("How do I implement OAuth2", Duration.ofMillis(1000), 0.9);
        c.agentReply(t1, "OAuth2 is an authorization framework.", Duration.ofMillis(1000), null);
        c.silence(Duration.ofMillis(200));
        long t2 = c.userTurn("Show me token refresh", Duration.ofMillis(800), 0.8);
        c.agentReply(t2, "Here is a token refresh implementation in Java.", Duration.ofMillis(2000), Duration.ofMillis(600));
        c.silence(Duration.ofMillis(500));
    }

    @Test
    void recordsEventsAsJsonlAndBothSidesAsAlignedStereo() throws Exception {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = recorder(store).build();
        rec.start("oauth-implementation");
        ScriptedConversation c = new ScriptedConversation(clock, rec);
        twoTurnsWithBargeIn(c);
        rec.tag("found-solution");
        RecordingMetadata stopped = rec.stop();

        assertThat(stopped.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(rec.state()).isEqualTo(RecorderState.IDLE);
        Recording r = store.load("oauth-implementation");
        assertThat(r.report().damaged()).isFalse();
        List<RecordingEvent> ev = r.events();
        assertThat(ev).extracting(RecordingEvent::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, ev.size()).boxed().toList());

        List<RecordingEvent> msgs = r.messages();
        assertThat(msgs).extracting(RecordingEvent::type).containsExactly(EventType.SYSTEM_MESSAGE,
                EventType.USER_MESSAGE, EventType.BOT_RESPONSE, EventType.USER_MESSAGE, EventType.BOT_RESPONSE,
                EventType.SYSTEM_MESSAGE);
        RecordingEvent q1 = msgs.get(1);
        assertThat(q1.content()).isEqualTo("How do I implement OAuth2");
        assertThat(q1.author()).isEqualTo("STRYK");
        assertThat(q1.authorId()).isEqualTo("123");
        assertThat(q1.confidence()).isEqualTo(0.9);
        assertThat(q1.turnId()).isEqualTo(1L);
        RecordingEvent a1 = msgs.get(2);
        assertThat(a1.model()).isEqualTo("claude-3-5-sonnet");
        assertThat(a1.interrupted()).isFalse();
        RecordingEvent a2 = msgs.get(4);
        assertThat(a2.interrupted()).isTrue();
        assertThat(a2.intendedContent()).isEqualTo("Here is a token refresh implementation in Java.");
        assertThat(a2.content()).isEqualTo("Here is a token refresh implementation in Java.".substring(0, 48 * 30 / 100));

        assertThat(ev).filteredOn(e -> e.type() == EventType.USER_INTERIM).extracting(RecordingEvent::content)
                .contains("How", "How do", "How do I implement OAuth2");
        assertThat(ev).filteredOn(e -> e.type() == EventType.INTERRUPTION).singleElement()
                .satisfies(e -> assertThat(e.latenciesMs()).containsEntry("played", 600L));
        assertThat(ev).filteredOn(e -> e.type() == EventType.TURN).hasSize(2).allSatisfy(e ->
                assertThat(e.latenciesMs()).containsEntry("user_to_agent_audio", 900L).containsEntry("end_of_turn", 500L));
        assertThat(ev).filteredOn(e -> e.type() == EventType.TAG).singleElement()
                .satisfies(e -> assertThat(e.content()).isEqualTo("found-solution"));
        assertThat(ev).filteredOn(e -> e.type() == EventType.STATE).extracting(RecordingEvent::code)
                .contains("start", "end_of_turn", "barge_in");

        String firstUserLine = Files.readAllLines(dir.resolve("oauth-implementation/events.jsonl")).stream()
                .filter(l -> l.contains("\"user_message\"")).findFirst().orElseThrow();
        assertThat(firstUserLine).startsWith("{\"seq\":").contains("\"timestamp\":\"2025-11-08T15:45:0")
                .contains("\"author\":\"STRYK\",\"author_id\":\"123\",\"content\":\"How do I implement OAuth2\","
                        + "\"type\":\"user_message\"");

        AudioTrack audio = r.audio().orElseThrow();
        assertThat(audio.sampleRate()).isEqualTo(16_000);
        // 200 ms + 1000 + 1000 + 200 + 800 + 600 + 500 ms of session time was captured.
        assertThat(audio.frames()).isEqualTo(16 * 4300);
        short[] all = new short[(int) (2 * audio.frames())];
        audio.read(0, all, (int) audio.frames());
        long agentStart = ms(r.audioOffset(a1));
        assertThat(agentStart).isEqualTo(1200);
        assertThat(right(all, agentStart - 5)).isZero();
        assertThat(right(all, agentStart + 5)).isEqualTo(ScriptedConversation.AGENT_LEVEL);
        assertThat(right(all, agentStart + 995)).isEqualTo(ScriptedConversation.AGENT_LEVEL);
        assertThat(right(all, agentStart + 1005)).isZero();
        assertThat(left(all, 300)).isEqualTo(ScriptedConversation.USER_LEVEL);
        assertThat(left(all, 1500)).isZero();
        long cutStart = ms(r.audioOffset(a2));
        assertThat(cutStart).isEqualTo(3200);
        assertThat(right(all, cutStart + 595)).isEqualTo(ScriptedConversation.AGENT_LEVEL);
        // Queued agent audio after the barge-in was never heard and is not in the recording.
        for (long t = cutStart + 605; t < cutStart + 800; t += 10) {
            assertThat(right(all, t)).as("agent at %d ms", t).isZero();
        }
        assertThat(left(all, cutStart + 500)).isEqualTo(ScriptedConversation.USER_LEVEL);
        assertThat(stopped.lateAudioMs()).isZero();
    }

    @Test
    void pauseSkipsEventsAndAudioAndResumeStartsANewSegment() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = recorder(store).build();
        ScriptedConversation c = new ScriptedConversation(clock, rec);
        rec.start("paused");
        long t1 = c.userTurn("first question here", Duration.ofMillis(600), 0.9);
        rec.pause();
        assertThat(rec.state()).isEqualTo(RecorderState.PAUSED);
        c.agentReply(t1, "not recorded while paused", Duration.ofMillis(400), null);
        assertThatThrownBy(() -> rec.tag("x")).isInstanceOf(RecordingException.class)
                .hasMessageContaining("cannot tag while paused");
        rec.resume();
        c.userTurn("second question", Duration.ofMillis(400), 0.9);
        rec.stop();

        Recording r = store.load("paused");
        assertThat(r.events()).extracting(RecordingEvent::content).doesNotContain("not recorded while paused")
                .contains("recording paused", "recording resumed", "second question");
        assertThat(r.metadata().segments()).hasSize(2);
        assertThat(r.metadata().segments().get(1).audioFrame()).isEqualTo(16 * 600);
        assertThat(r.audio().orElseThrow().frames()).isEqualTo(16 * 1000);
        assertThatThrownBy(rec::pause).isInstanceOf(RecordingException.class).hasMessageContaining("while idle");
    }

    @Test
    void withoutConsentNothingIsRecordedAndWithdrawalStopsTheRecording() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        ConsentRegistry consents = ConsentRegistry.inMemory(java.time.Clock.fixed(T0, ZoneOffset.UTC));
        SessionRecorder rec = recorder(store).consents(consents).build();

        assertThatThrownBy(() -> rec.start("no-consent")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(RecordingException.Problem.NO_CONSENT))
                .hasMessageContaining("'123' has not consented to a transcript");
        consents.grant("123", ConsentType.TRANSCRIPT);
        assertThatThrownBy(() -> rec.start("no-consent")).hasMessageContaining("audio recording");
        assertThat(store.list()).isEmpty();
        assertThat(dir.resolve("no-consent")).doesNotExist();

        consents.grant("123", ConsentType.RECORDING);
        rec.start("consented");
        new ScriptedConversation(clock, rec).userTurn("hello there", Duration.ofMillis(200), 0.9);
        consents.withdraw("123", ConsentType.RECORDING);
        assertThat(rec.state()).isEqualTo(RecorderState.IDLE);
        Recording r = store.load("consented");
        assertThat(r.events().get(r.events().size() - 1).content()).isEqualTo("recording stopped: recording consent withdrawn");
        assertThat(r.metadata().status()).isEqualTo(RecordingStatus.STOPPED);
    }

    @Test
    void textOnlyRecordingNeedsOnlyTranscriptConsent() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        ConsentRegistry consents = ConsentRegistry.inMemory(java.time.Clock.fixed(T0, ZoneOffset.UTC));
        consents.grant("123", ConsentType.TRANSCRIPT);
        SessionRecorder rec = recorder(store).consents(consents).captureAudio(false).build();
        rec.start("text-only");
        new ScriptedConversation(clock, rec).userTurn("hello there", Duration.ofMillis(200), 0.9);
        rec.stop();
        Recording r = store.load("text-only");
        assertThat(r.audio()).isEmpty();
        assertThat(r.metadata().sampleRate()).isZero();
        assertThat(r.messages()).extracting(RecordingEvent::content).contains("hello there");
    }

    @Test
    void redactsBeforeWritingAndAuditsWhatWasRemoved() throws Exception {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = recorder(store).build();
        rec.start("secrets");
        ScriptedConversation c = new ScriptedConversation(clock, rec);
        long t = c.userTurn("mail ada@example.com card 4111 1111 1111 1111", Duration.ofMillis(400), 0.9);
        c.agentReply(t, "Your key sk-live-abcdefghijklmnop1234 and phone +1 415 555 0100 are noted.",
                Duration.ofMillis(200), null);
        rec.stop();

        String raw = Files.readString(dir.resolve("secrets/events.jsonl"));
        assertThat(raw).doesNotContain("ada@example.com", "4111 1111", "sk-live-abcdefghijklmnop1234", "555 0100")
                .contains("[REDACTED:email]", "[REDACTED:card]", "[REDACTED:api_key]", "[REDACTED:phone]");
        Recording r = store.load("secrets");
        assertThat(r.messages()).filteredOn(e -> e.type() == EventType.USER_MESSAGE).singleElement()
                .extracting(RecordingEvent::content).isEqualTo("mail [REDACTED:email] card [REDACTED:card]");
        assertThat(r.redactions()).extracting(x -> x.rule()).contains("email", "card", "api_key", "phone");
        assertThat(r.redactions()).allSatisfy(x -> assertThat(x.count()).isPositive());
        assertThat(Files.readString(dir.resolve("secrets/redactions.jsonl"))).doesNotContain("ada@");
    }

    @Test
    void saveAsRenamesAndKeepsRecording() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = recorder(store).build();
        ScriptedConversation c = new ScriptedConversation(clock, rec);
        rec.start("draft");
        c.userTurn("before rename", Duration.ofMillis(200), 0.9);
        rec.saveAs("final-name");
        c.userTurn("after rename", Duration.ofMillis(200), 0.9);
        rec.stop();
        assertThat(store.exists("draft")).isFalse();
        rec.start("held");
        store.placeHold("held", "audit");
        assertThatThrownBy(() -> rec.saveAs("renamed")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(RecordingException.Problem.LEGAL_HOLD));
        assertThat(rec.state()).isEqualTo(RecorderState.RECORDING);
        c.userTurn("still recording", Duration.ofMillis(200), 0.9);
        rec.stop();
        assertThat(store.load("held").messages()).extracting(RecordingEvent::content).contains("still recording");
        Recording r = store.load("final-name");
        assertThat(r.messages()).extracting(RecordingEvent::content).contains("before rename", "after rename",
                "recording renamed from draft to final-name");
        assertThat(r.audio().orElseThrow().frames()).isEqualTo(16 * 400);
    }

    @Test
    void appendToContinuesAnOldRecording() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = recorder(store).build();
        ScriptedConversation c = new ScriptedConversation(clock, rec);
        rec.start("old");
        c.userTurn("day one", Duration.ofMillis(400), 0.9);
        rec.stop();
        clock.advance(Duration.ofHours(20));
        assertThatThrownBy(() -> rec.start("old")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(RecordingException.Problem.ALREADY_EXISTS));
        assertThatThrownBy(() -> rec.appendTo("missing")).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(RecordingException.Problem.NOT_FOUND));
        rec.appendTo("old");
        c.userTurn("day two", Duration.ofMillis(200), 0.9);
        rec.stop();
        Recording r = store.load("old");
        assertThat(r.messages()).extracting(RecordingEvent::content).containsSubsequence("day one", "recording resumed", "day two");
        assertThat(r.events()).extracting(RecordingEvent::seq).doesNotHaveDuplicates();
        assertThat(r.metadata().segments()).hasSize(2);
        assertThat(r.audio().orElseThrow().frames()).isEqualTo(16 * 600);
        RecordingEvent dayTwo = r.messages().stream().filter(e -> e.content().equals("day two")).findFirst().orElseThrow();
        assertThat(ms(r.audioOffset(dayTwo))).isEqualTo(400 + 200);
    }

    @Test
    void autoRecordingStartsANewRecordingEachDay() {
        VirtualClock late = new VirtualClock(Instant.parse("2025-11-08T23:59:59Z"));
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = SessionRecorder.builder(store).clock(late).autoDaily(ZoneOffset.UTC, "auto").build();
        ScriptedConversation c = new ScriptedConversation(late, rec);
        assertThat(rec.startAuto().name()).isEqualTo("auto_2025-11-08");
        c.userTurn("just before midnight", Duration.ofMillis(600), 0.9);
        c.userTurn("just after midnight", Duration.ofMillis(600), 0.9);
        assertThat(rec.current().orElseThrow().name()).isEqualTo("auto_2025-11-09");
        rec.stop();
        assertThat(store.list()).extracting(s -> s.name()).containsExactly("auto_2025-11-09", "auto_2025-11-08");
        assertThat(store.load("auto_2025-11-08").messages()).extracting(RecordingEvent::content)
                .contains("just before midnight", "day ended; recording continues in auto_2025-11-09")
                .doesNotContain("just after midnight");
        assertThat(store.load("auto_2025-11-09").messages()).extracting(RecordingEvent::content)
                .contains("just after midnight");
    }

    static long ms(Duration d) {
        return d.toMillis();
    }

    static short left(short[] stereo, long ms) {
        return stereo[(int) (2 * ms * 16)];
    }

    static short right(short[] stereo, long ms) {
        return stereo[(int) (2 * ms * 16 + 1)];
    }
}
