package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end-of-turn wait counts the silence the session has heard, not the clock while the
 * user's audio is late. A fresh-clone CI run cut "go forward ten meters" into "go for": the
 * VAD heard an end of speech in a 140 ms pause and the next audio reached the session only
 * after the turn's wait had passed on the clock. Any caller whose network, WebRTC or
 * telephony delivery stalls for half a second would be cut off the same way. Audio that stops
 * altogether still ends the turn, once none has come for {@link SessionConfig#inputStallTimeout()}.
 */
class LateAudioTest {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = FORMAT.samplesFor(20);

    private final SessionHarness events = new SessionHarness();
    private final VirtualClock clock = events.clock;
    private final UserScript user = events.user;
    private final List<String> turns = events.userTurns;
    private final AudioFrame frame = AudioFrame.allocate(FORMAT, FRAME);
    private long capturedUpToMillis;

    private VoiceSession session(SessionConfig.Builder config) {
        VoiceSession s = VoiceSession.builder()
                .clock(clock)
                .config(config.sessionId("late").build())
                .vad(new FakeVad())
                .stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).reply("Done.").build())
                .listener(events)
                .build();
        s.start();
        return s;
    }

    /**
     * Delivers the audio captured up to {@code toMillis} in 20 ms frames stamped as captured;
     * each frame arrives at its capture end or at {@code notBeforeMillis}, whichever is later
     * (a transport that held audio back delivers it at once when it recovers).
     */
    private void deliver(VoiceSession s, long toMillis, long notBeforeMillis) {
        for (long t = capturedUpToMillis; t < toMillis; t += 20) {
            long t0 = Duration.ofMillis(t).toNanos();
            short[] samples = frame.samples();
            for (int i = 0; i < FRAME; i++) {
                long at = t0 + FORMAT.nanosFor(i);
                samples[i] = user.at(at) != null ? (short) (8000 * Math.sin(2 * Math.PI * 220 * at / 1e9)) : 0;
            }
            frame.setLength(FRAME).setTimestampNanos(t0);
            clock.advanceTo(Duration.ofMillis(Math.max(t + 20, notBeforeMillis)));
            s.processAudio(frame);
        }
        capturedUpToMillis = toMillis;
    }

    @Test
    void audioHeldBackInAShortPauseDoesNotEndTheTurn() {
        user.say(200, 800, "go forward").say(1140, 900, "ten meters");
        VoiceSession s = session(SessionConfig.builder());
        deliver(s, 1100, 0);
        // The VAD has heard the end of "go forward" at 1000; the rest of the pause and the next
        // words are held back for 900 ms, well past the turn's 500 ms wait on the clock.
        clock.advanceTo(Duration.ofMillis(2000));
        assertThat(turns).as("nothing heard yet says the user paused that long").isEmpty();
        deliver(s, 4000, 2000);
        clock.advanceTo(Duration.ofMillis(6000));
        assertThat(turns).containsExactly("go forward ten meters");
        s.stop();
    }

    /**
     * Where the stall bound lies, which {@link LateAudioRealThreadTest} judges by: audio held
     * back in the pause for just under {@link SessionConfig#inputStallTimeout()} keeps the turn;
     * held back longer, the input is taken as stopped and the turn ends at the bound, and the
     * words that come late, said before the reply to that turn could be heard, take it back and
     * join it, none lost, as a user who talks on does.
     */
    @Test
    void aPauseHeldBackPastTheStallBoundEndsTheTurnThereAndLosesNoWords() {
        user.say(200, 800, "go forward").say(1140, 900, "ten meters").say(4200, 600, "stop").say(4940, 600, "now");
        VoiceSession s = session(SessionConfig.builder());
        deliver(s, 1100, 0);
        deliver(s, 3000, 2080);
        clock.advanceTo(Duration.ofMillis(4000));
        assertThat(turns).as("held back 980 ms: the same turn").containsExactly("go forward ten meters");
        // "stop" ends at 4800; the audio stops at 4900, 100 ms into the pause before "now".
        deliver(s, 4900, 0);
        clock.advanceTo(Duration.ofMillis(5890));
        assertThat(s.state()).as("not yet 1 s without audio").isEqualTo(SessionState.LISTENING);
        clock.advanceTo(Duration.ofMillis(5900));
        assertThat(events.stateLog()).as("1 s without audio: the input stopped, as far as the session can tell")
                .contains("LISTENING->PROCESSING@5900");
        deliver(s, 7000, 6300);
        clock.advanceTo(Duration.ofMillis(9000));
        assertThat(turns).containsExactly("go forward ten meters", "stop", "stop now");
        s.stop();
    }

    @Test
    void audioThatStopsAfterTheSpeechEndsTheTurnOnceItHasStalled() {
        user.say(200, 800, "go forward");
        VoiceSession s = session(SessionConfig.builder());
        // The host stops sending 100 ms after the words (push-to-talk released).
        deliver(s, 1100, 0);
        clock.advanceTo(Duration.ofMillis(2000));
        assertThat(turns).as("within the stall bound the audio may still come").isEmpty();
        clock.advanceTo(Duration.ofMillis(2300));
        assertThat(turns).as("no audio for 1 s: the wait is counted on the clock").containsExactly("go forward");
        s.stop();
    }

    @Test
    void audioInStepWithTheClockEndsTheTurnAsBefore() {
        user.say(200, 800, "go forward");
        VoiceSession s = session(SessionConfig.builder());
        deliver(s, 1480, 0);
        assertThat(turns).isEmpty();
        deliver(s, 1540, 0);
        // 500 ms of silence heard after the words ended at 1000: the turn ends at 1500.
        assertThat(events.stateLog()).contains("LISTENING->PROCESSING@1500");
        clock.advanceTo(Duration.ofMillis(2000));
        assertThat(turns).containsExactly("go forward");
        s.stop();
    }
}
