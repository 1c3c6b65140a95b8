package io.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.store.FileRecordingStore;
import io.parley.session.SessionConfig;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records a real VoiceSession running on the test kit, barge-in included. */
class LiveSessionRecordingTest {

    private static final String STORY = "Once upon a time there was a very long story about many things";

    @TempDir
    Path dir;

    @Test
    void recordsARealSessionWithBargeIn() {
        VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));
        UserScript user = new UserScript().say(500, 1000, "tell me a story").say(3500, 800, "stop please");
        InMemoryTransport transport = InMemoryTransport.builder(clock).script(user)
                .outputFormat(AudioFormat.PCM_24K_MONO).build();
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder recorder = SessionRecorder.builder(store).clock(clock).user("u1", "Ada").agent("bot", "Parley")
                .model("fake-agent").sessionId("live").build();
        VoiceSession session = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.builder().sessionId("live").build())
                .transport(transport)
                .vad(new FakeVad())
                .stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).reply(t -> t.startsWith("tell") ? STORY : "Sure.").build())
                .build();
        recorder.attach(session);

        recorder.start("live-call");
        session.start();
        clock.advanceTo(Duration.ofMillis(8000));
        session.stop();
        recorder.stop();

        Recording r = store.load("live-call");
        assertThat(r.report().damaged()).isFalse();
        List<RecordingEvent> msgs = r.messages().stream().filter(e -> e.type() != EventType.SYSTEM_MESSAGE).toList();
        assertThat(msgs).extracting(RecordingEvent::type, RecordingEvent::content).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EventType.USER_MESSAGE, "tell me a story"),
                org.assertj.core.groups.Tuple.tuple(EventType.BOT_RESPONSE, "Once upon a time there was"),
                org.assertj.core.groups.Tuple.tuple(EventType.USER_MESSAGE, "stop please"),
                org.assertj.core.groups.Tuple.tuple(EventType.BOT_RESPONSE, "Sure."));
        RecordingEvent cut = msgs.get(1);
        assertThat(cut.interrupted()).isTrue();
        assertThat(cut.intendedContent()).isEqualTo(STORY);
        assertThat(cut.model()).isEqualTo("fake-agent");
        assertThat(r.events()).filteredOn(e -> e.type() == EventType.INTERRUPTION).singleElement()
                .satisfies(e -> assertThat(e.latenciesMs()).containsEntry("played", 1530L));
        assertThat(r.events()).filteredOn(e -> e.type() == EventType.TURN).isNotEmpty()
                .allSatisfy(e -> assertThat(e.latenciesMs()).containsKey("end_of_turn"));
        assertThat(r.events()).filteredOn(e -> e.type() == EventType.USER_INTERIM)
                .extracting(RecordingEvent::content).contains("tell me a story");

        AudioTrack audio = r.audio().orElseThrow();
        short[] all = new short[(int) (2 * audio.frames())];
        audio.read(0, all, (int) audio.frames());
        // The agent speaks from 2470 ms until the barge-in at 4000 ms, then "Sure." after the second turn.
        long agentStart = r.audioOffset(cut).toMillis();
        assertThat(agentStart).isEqualTo(2470);
        assertThat(level(all, 1, 2000, 2400)).isZero();
        assertThat(level(all, 1, 2500, 3950)).isGreaterThan(1000);
        assertThat(level(all, 1, 4010, 4700)).as("agent audio queued after the barge-in").isZero();
        // Spoken turns are stamped with the start of speech, where their audio begins.
        assertThat(r.audioOffset(msgs.get(0)).toMillis()).isEqualTo(500);
        assertThat(r.audioOffset(msgs.get(2)).toMillis()).isEqualTo(3500);
        long sure = r.audioOffset(msgs.get(3)).toMillis();
        assertThat(level(all, 1, sure + 20, sure + 200)).isGreaterThan(1000);
        // The user is heard while speaking and silent otherwise.
        assertThat(level(all, 0, 600, 1400)).isGreaterThan(1000);
        assertThat(level(all, 0, 1600, 3400)).isZero();
        assertThat(level(all, 0, 3600, 4200)).isGreaterThan(1000);
        assertThat(r.metadata().lateAudioMs()).isZero();
    }

    /** RMS of one channel between two times. */
    private static double level(short[] stereo, int channel, long fromMs, long toMs) {
        double sum = 0;
        int n = 0;
        for (long f = fromMs * 16; f < toMs * 16; f++) {
            double v = stereo[(int) (2 * f + channel)];
            sum += v * v;
            n++;
        }
        return Math.sqrt(sum / n);
    }
}
