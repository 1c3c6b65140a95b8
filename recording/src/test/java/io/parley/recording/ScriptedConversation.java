package io.parley.recording;

import io.parley.testing.VirtualClock;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.AgentText;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.TurnMetrics;
import io.parley.session.UserTranscript;
import io.parley.spi.Transcript;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Drives a {@link SessionRecorder} through its listener interfaces the way a running session
 * would: audio every 20 ms stamped with the clock, transcripts, agent text, playback events.
 */
final class ScriptedConversation {

    static final AudioFormat USER_FORMAT = AudioFormat.PCM_16K_MONO;
    static final AudioFormat AGENT_FORMAT = AudioFormat.PCM_24K_MONO;
    static final short USER_LEVEL = 1000;
    static final short AGENT_LEVEL = 2000;
    static final Duration FRAME = Duration.ofMillis(20);

    final VirtualClock clock;
    final SessionRecorder recorder;
    private long turn;
    private long speech;

    ScriptedConversation(VirtualClock clock, SessionRecorder recorder) {
        this.clock = clock;
        this.recorder = recorder;
    }

    void state(SessionState from, SessionState to, String reason) {
        recorder.onStateChanged(new StateChange("s1", from, to, clock.now(), reason));
    }

    /** Silence from the user (frames of zeros) for {@code d}. */
    void silence(Duration d) {
        userAudio(d, (short) 0);
    }

    /** The user speaks {@code text} over {@code d} (interim transcripts per word), then the turn is committed. */
    long userTurn(String text, Duration d, double confidence) {
        long t = ++turn;
        String[] words = text.split(" ");
        long perWord = d.toNanos() / words.length;
        StringBuilder sofar = new StringBuilder();
        for (String w : words) {
            userAudio(Duration.ofNanos(perWord), USER_LEVEL);
            sofar.append(sofar.length() == 0 ? "" : " ").append(w);
            recorder.onUserTranscript(new UserTranscript(t, Transcript.interim(sofar.toString()), clock.now()));
        }
        recorder.onUserTranscript(new UserTranscript(t,
                new Transcript(text, true, true, confidence, List.of(), "en"), clock.now()));
        state(SessionState.LISTENING, SessionState.PROCESSING, "end_of_turn");
        recorder.onUserTurn(t, text);
        return t;
    }

    /**
     * The agent answers turn {@code t} with {@code text} lasting {@code d}; with a non-null
     * {@code bargeInAfter} the user cuts in after that much playback.
     */
    long agentReply(long t, String text, Duration d, Duration bargeInAfter) {
        long s = ++speech;
        recorder.onAgentText(new AgentText(t, s, text, clock.now()));
        state(SessionState.PROCESSING, SessionState.SPEAKING, "agent_reply");
        recorder.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.STARTED, s, t, text, "", Duration.ZERO, clock.now()));
        long frames = d.toNanos() / FRAME.toNanos();
        long playFrames = bargeInAfter == null ? frames : bargeInAfter.toNanos() / FRAME.toNanos();
        short[] agent = new short[AGENT_FORMAT.samplesFor(20)];
        Arrays.fill(agent, AGENT_LEVEL);
        short[] quiet = new short[USER_FORMAT.samplesFor(20)];
        short[] loud = new short[USER_FORMAT.samplesFor(20)];
        Arrays.fill(loud, USER_LEVEL);
        // Agent audio is handed over 100 ms ahead of when it plays (the playout lead).
        long lead = 5;
        for (long i = 0; i < Math.min(frames, lead); i++) {
            recorder.onAgentAudio(new AudioFrame(AGENT_FORMAT, agent, clock.nanoTime() + i * FRAME.toNanos()));
        }
        for (long i = 0; i < playFrames; i++) {
            if (i + lead < frames) {
                recorder.onAgentAudio(new AudioFrame(AGENT_FORMAT, agent, clock.nanoTime() + lead * FRAME.toNanos()));
            }
            boolean userTalking = bargeInAfter != null && i >= playFrames - 10;
            recorder.onUserAudio(new AudioFrame(USER_FORMAT, userTalking ? loud : quiet, clock.nanoTime()));
            clock.advance(FRAME);
        }
        if (bargeInAfter == null) {
            recorder.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.FINISHED, s, t, text, text, d, clock.now()));
            state(SessionState.SPEAKING, SessionState.LISTENING, "playout_done");
        } else {
            recorder.onAgentAudioCleared(clock.nanoTime());
            String heard = text.substring(0, text.length() * (int) playFrames / (int) frames);
            recorder.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.INTERRUPTED, s, t, text, heard, bargeInAfter,
                    clock.now()));
            state(SessionState.SPEAKING, SessionState.LISTENING, "barge_in");
        }
        recorder.onTurnMetrics(new TurnMetrics(t, Duration.ofMillis(500), Duration.ofMillis(80), Duration.ofMillis(300),
                Duration.ofMillis(120), Duration.ofMillis(900), false));
        return s;
    }

    private void userAudio(Duration d, short level) {
        short[] s = new short[USER_FORMAT.samplesFor(20)];
        Arrays.fill(s, level);
        for (long i = 0; i < d.toNanos() / FRAME.toNanos(); i++) {
            recorder.onUserAudio(new AudioFrame(USER_FORMAT, s, clock.nanoTime()));
            clock.advance(FRAME);
        }
    }
}
