package io.parley.audio.echo;

import static io.parley.audio.echo.Recorded.F;
import static io.parley.audio.echo.Recorded.onsetMillis;
import static io.parley.audio.echo.Recorded.recording;
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
 * real recorded voice, which comes back into the microphone 150 ms later at -10 dB. With
 * {@link AdaptiveEchoCanceller} the echo never starts user speech, and a real user talking
 * over the agent at the echo's own level pauses it within 150 ms of their first syllable.
 */
class AdaptiveEchoCancellationInSessionTest {

    /** About 6 s of agent speech. */
    private static final String REPLY = "please hold while I look up the opening hours of the library on main street";

    private record Outcome(boolean interrupted, int onsets, Duration paused, List<SessionException> errors) {
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
                .tts(FakeTts.builder(clock).voice(TestSignals.concat(recording("goforward.raw"), recording("numbers.raw"))).build())
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
            b.echoCancellation(AdaptiveEchoCanceller.create());
        }
        VoiceSession session = b.build();
        session.start();
        clock.advanceTo(Duration.ofMillis(200));
        PlaybackHandle reply = session.say(REPLY);
        clock.advanceTo(Duration.ofSeconds(9));
        session.close();
        Duration paused = transport.events().stream().filter(e -> e.action() == InMemoryTransport.Action.PAUSE)
                .map(InMemoryTransport.Event::at).findFirst().orElse(null);
        return new Outcome(reply.interrupted(), onsets[0], paused, errors);
    }

    private static double rms(short[] x) {
        double e = 0;
        for (short v : x) {
            e += (double) v * v;
        }
        return Math.sqrt(e / x.length);
    }


    @Test
    void theAgentsEchoDoesNotBargeIn() throws Exception {
        Outcome with = run(true, null, 0);
        assertThat(with.onsets()).isZero();
        assertThat(with.interrupted()).isFalse();
        assertThat(with.paused()).isNull();
        assertThat(with.errors()).isEmpty();
        Outcome without = run(false, null, 0);
        assertThat(without.onsets()).as("the echo is loud enough to count without a canceller").isPositive();
    }

    @Test
    void aUserTalkingOverTheAgentAtTheEchosLevelPausesItWithin150Ms() throws Exception {
        short[] user = recording("something.raw");
        // Scaled to the echo's level: the agent's voice at -10 dB.
        short[] agent = TestSignals.concat(recording("goforward.raw"), recording("numbers.raw"));
        double gain = Math.sqrt(0.1) * rms(agent) / rms(user);
        short[] quiet = new short[user.length];
        for (int i = 0; i < user.length; i++) {
            quiet[i] = (short) Math.round(user[i] * gain);
        }
        long at = 3_000;
        Outcome with = run(true, quiet, at);

        assertThat(with.interrupted()).as("%s", with).isTrue();
        assertThat(with.onsets()).isEqualTo(1);
        assertThat(with.errors()).isEmpty();
        long onset = at + onsetMillis(quiet);
        assertThat(with.paused()).isNotNull();
        System.out.printf("user onset at %d ms, agent paused at %d ms%n", onset, with.paused().toMillis());
        assertThat(with.paused().toMillis() - onset).as("user's onset at %d ms to the agent paused, ms", onset).isBetween(0L, 150L);
    }
}
