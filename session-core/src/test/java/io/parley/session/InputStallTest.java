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
 * Audio that stops while the VAD says "speech" (a peer that drops mid-word, a host whose input
 * ends, a push-to-talk button released): the VAD hears no silence, so without a bound the turn
 * would wait for an end of speech that never comes and its words (including words carried back
 * from an interrupted reply) would never be answered (chaos soak seed -5245003300978803915,
 * session 413). After {@link SessionConfig#inputStallTimeout()} without audio the session takes
 * the end of the last audio as the end of speech, as Pipecat's input transport does.
 */
class InputStallTest {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = FORMAT.samplesFor(20);

    /** Only its clock, script and event lists: the session here is fed by the host, not a transport. */
    private final SessionHarness events = new SessionHarness();
    private final VirtualClock clock = events.clock;
    private final UserScript user = events.user;
    private final List<String> turns = events.userTurns;
    private final List<UserSpeech> speech = events.speech;
    private final AudioFrame frame = AudioFrame.allocate(FORMAT, FRAME);
    private FakeAgent agent;
    private long fedUpToMillis;

    private VoiceSession session(Duration stallTimeout) {
        agent = FakeAgent.builder(clock).reply("Done.").build();
        VoiceSession s = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.builder().sessionId("stall").inputStallTimeout(stallTimeout).build())
                .vad(new FakeVad())
                .stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(agent)
                .listener(events)
                .build();
        s.start();
        return s;
    }

    /** Feeds the script's audio in 20 ms frames, in step with the clock, up to {@code toMillis}. */
    private void feed(VoiceSession s, long toMillis) {
        for (long t = fedUpToMillis; t < toMillis; t += 20) {
            long t0 = Duration.ofMillis(t).toNanos();
            short[] samples = frame.samples();
            for (int i = 0; i < FRAME; i++) {
                long at = t0 + FORMAT.nanosFor(i);
                samples[i] = user.at(at) != null ? (short) (8000 * Math.sin(2 * Math.PI * 220 * at / 1e9)) : 0;
            }
            frame.setLength(FRAME).setTimestampNanos(t0);
            clock.advanceTo(Duration.ofMillis(t + 20));
            s.processAudio(frame);
        }
        fedUpToMillis = toMillis;
    }

    @Test
    void speechCutOffByTheInputStoppingIsAnsweredOnceTheInputStalls() {
        user.say(200, 2000, "book a table for two");
        VoiceSession s = session(Duration.ofSeconds(1));
        feed(s, 1200);
        // The host stops sending mid-word: no silence ever reaches the VAD.
        clock.advanceTo(Duration.ofMillis(2000));
        assertThat(turns).as("within the stall bound the user may still be speaking").isEmpty();
        clock.advanceTo(Duration.ofMillis(6000));
        assertThat(turns).containsExactly("book a table");
        assertThat(agent.calls()).extracting(FakeAgent.Call::transcript).containsExactly("book a table");
        assertThat(speech).extracting(UserSpeech::speaking).containsExactly(true, false);
        s.stop();
    }

    @Test
    void speechThatGoesOnWhenTheAudioComesBackStartsAgain() {
        user.say(200, 1000, "book a table").say(4000, 1000, "for two people");
        VoiceSession s = session(Duration.ofSeconds(1));
        feed(s, 800);
        clock.advanceTo(Duration.ofMillis(4000));
        fedUpToMillis = 4000;
        feed(s, 7000);
        clock.advanceTo(Duration.ofMillis(10_000));
        assertThat(turns).containsExactly("book a", "for two people");
        assertThat(speech).extracting(UserSpeech::speaking).containsExactly(true, false, true, false);
        s.stop();
    }

    @Test
    void audioInStepWithTheClockNeverStalls() {
        user.say(200, 4000, "book a table for two people please");
        VoiceSession s = session(Duration.ofMillis(100));
        feed(s, 6000);
        clock.advanceTo(Duration.ofMillis(8000));
        assertThat(turns).containsExactly("book a table for two people please");
        assertThat(speech).extracting(UserSpeech::speaking).containsExactly(true, false);
        s.stop();
    }

    @Test
    void zeroDisablesTheBound() {
        user.say(200, 2000, "book a table for two");
        VoiceSession s = session(Duration.ZERO);
        feed(s, 1200);
        clock.advanceTo(Duration.ofMillis(20_000));
        assertThat(turns).isEmpty();
        s.stop();
    }
}
