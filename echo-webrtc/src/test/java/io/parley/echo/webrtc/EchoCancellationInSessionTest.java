package io.parley.echo.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.TestSignals;
import io.parley.audio.vad.DspVad;
import io.parley.session.PlaybackHandle;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.UserSpeech;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real VoiceSession with DspVad on a speakerphone, in virtual time: the agent speaks with a
 * real recorded voice, which comes back into the microphone 150 ms later at -10 dB. With the
 * canceller, the echo never starts user speech nor barges in, while a real user talking over
 * the agent still does; without it, the same echo barges in (the room is a real test).
 */
class EchoCancellationInSessionTest {

    /** About 6 s of agent speech. */
    private static final String REPLY = "please hold while I look up the opening hours of the library on main street";

    private record Outcome(boolean interrupted, int onsets, List<SessionException> errors) {
    }

    private static Outcome run(boolean cancel, short[] user, long userAtMillis) throws Exception {
        VirtualClock clock = new VirtualClock();
        UserScript script = new UserScript();
        if (user != null) {
            script.say(userAtMillis, user.length / 16, "what time is it");
        }
        InMemoryTransport.Builder tb = InMemoryTransport.builder(clock).script(script)
                .echo(-10, Duration.ofMillis(150)).canPause(true);
        if (user != null) {
            tb.userAudio(user, Duration.ofMillis(userAtMillis));
        }
        InMemoryTransport transport = tb.build();
        List<SessionException> errors = new ArrayList<>();
        int[] onsets = {0};
        VoiceSession.Builder b = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.builder().sessionId("echo").build())
                .transport(transport)
                .vad(DspVad.defaults())
                .stt(FakeStt.builder(clock, script).build())
                .tts(FakeTts.builder(clock).voice(TestSignals.concat(Room.recording("goforward.raw"), Room.recording("numbers.raw"))).build())
                .streamingAgent(FakeAgent.builder(clock).reply("OK.").build())
                .listener(new SessionListener() {
                    @Override
                    public void onUserSpeech(UserSpeech speech) {
                        onsets[0] += speech.speaking() ? 1 : 0;
                    }

                    @Override
                    public void onError(SessionException error) {
                        errors.add(error);
                    }
                });
        if (cancel) {
            b.echoCancellation(WebRtcEchoCanceller.create());
        }
        VoiceSession session = b.build();
        session.start();
        clock.advanceTo(Duration.ofMillis(200));
        PlaybackHandle reply = session.say(REPLY);
        clock.advanceTo(Duration.ofSeconds(9));
        session.close();
        return new Outcome(reply.interrupted(), onsets[0], errors);
    }

    @Test
    void theAgentsEchoDoesNotBargeInWithTheCanceller() throws Exception {
        Outcome with = run(true, null, 0);
        assertThat(with.onsets()).isZero();
        assertThat(with.interrupted()).isFalse();
        assertThat(with.errors()).isEmpty();
        Outcome without = run(false, null, 0);
        assertThat(without.onsets()).as("the echo is loud enough to count without a canceller").isPositive();
    }

    @Test
    void theUserTalkingOverTheAgentStillBargesIn() throws Exception {
        // A user as loud as the agent's echo plus 6 dB: under EchoGate's margin they would
        // need to rise above the echo; with the canceller only their own voice counts.
        Outcome with = run(true, Room.recording("something.raw"), 3_000);
        assertThat(with.interrupted()).isTrue();
        assertThat(with.onsets()).isEqualTo(1);
        assertThat(with.errors()).isEmpty();
    }
}
