package io.parley.bench.recording;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.recording.SessionRecorder;
import io.parley.recording.store.RecordingStore;
import io.parley.session.AgentText;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.TurnMetrics;
import io.parley.session.UserTranscript;
import io.parley.spi.Transcript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Records a synthetic one-hour conversation of 1,000 turns (3.6 s each: 1.6 s of user speech, a
 * short pause, 1.6 s of agent speech) through the recorder's listener interfaces, with audio on
 * both sides, interim transcripts, turn metrics and every tenth reply interrupted.
 */
final class HourLongRecording {

    static final int TURNS = 1000;

    private HourLongRecording() {
    }

    static void record(RecordingStore store, String name) {
        VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:00:00Z"));
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).user("u1", "Ada").agent("bot", "Parley")
                .model("bench-model").build();
        rec.start(name);
        AudioFormat in = AudioFormat.PCM_16K_MONO;
        AudioFormat out = AudioFormat.PCM_24K_MONO;
        short[] user = tone(in.samplesFor(20), 1200);
        short[] agent = tone(out.samplesFor(20), 1800);
        short[] quiet = new short[in.samplesFor(20)];
        Duration frame = Duration.ofMillis(20);
        for (int t = 1; t <= TURNS; t++) {
            String question = "Question number " + t + " about token refresh and OAuth scopes in our billing API";
            String[] words = question.split(" ");
            for (int f = 0; f < 80; f++) {
                rec.onUserAudio(new AudioFrame(in, user, clock.nanoTime()));
                if (f % 8 == 7) {
                    String partial = String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, f / 8 + 1)));
                    rec.onUserTranscript(new UserTranscript(t, Transcript.interim(partial), clock.now()));
                }
                clock.advance(frame);
            }
            rec.onUserTranscript(new UserTranscript(t, new Transcript(question, true, true, 0.91, List.of(), "en"), clock.now()));
            rec.onStateChanged(new StateChange("s", SessionState.LISTENING, SessionState.PROCESSING, clock.now(), "end_of_turn"));
            rec.onUserTurn(t, question);
            for (int f = 0; f < 20; f++) {
                rec.onUserAudio(new AudioFrame(in, quiet, clock.nanoTime()));
                clock.advance(frame);
            }
            String answer = "Answer " + t + ": refresh the access token with the refresh token before it expires, "
                    + "and keep the scopes minimal for the billing endpoints.";
            rec.onAgentText(new AgentText(t, t, answer, clock.now()));
            rec.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.STARTED, t, t, answer, "", Duration.ZERO, clock.now()));
            boolean cut = t % 10 == 0;
            int frames = cut ? 40 : 80;
            for (int f = 0; f < frames; f++) {
                rec.onAgentAudio(new AudioFrame(out, agent, clock.nanoTime()));
                rec.onUserAudio(new AudioFrame(in, cut && f > 30 ? user : quiet, clock.nanoTime()));
                clock.advance(frame);
            }
            if (cut) {
                rec.onAgentAudioCleared(clock.nanoTime());
                rec.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.INTERRUPTED, t, t, answer, answer.substring(0, 40),
                        Duration.ofMillis(800), clock.now()));
                for (int f = 0; f < 40; f++) {
                    rec.onUserAudio(new AudioFrame(in, quiet, clock.nanoTime()));
                    clock.advance(frame);
                }
            } else {
                rec.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.FINISHED, t, t, answer, answer, Duration.ofMillis(1600),
                        clock.now()));
            }
            rec.onStateChanged(new StateChange("s", SessionState.SPEAKING, SessionState.LISTENING, clock.now(), "done"));
            rec.onTurnMetrics(new TurnMetrics(t, Duration.ofMillis(400), Duration.ofMillis(60), Duration.ofMillis(250),
                    Duration.ofMillis(110), Duration.ofMillis(820), false));
        }
        rec.stop();
    }

    private static short[] tone(int n, int level) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (level * Math.sin(2 * Math.PI * 220 * i / 16000.0));
        }
        return s;
    }
}
