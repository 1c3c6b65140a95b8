package io.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.SpectralNoiseSuppressor;
import io.parley.audio.TestSignals;
import io.parley.audio.vad.DspVad;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.VoiceSession;
import io.parley.spi.TurnDetector;
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
 * DspVad, the noise suppressor and the turn detectors inside a real VoiceSession on the test
 * kit, in virtual time: the user reads a phone number in two groups with an 800 ms pause
 * between them, as speech-like audio in pink noise at 15 dB SNR.
 */
class TurnDetectionInSessionTest {

    private static final int RATE = 16_000;

    /** Speech-like audio where the script says the user speaks, over steady noise throughout. */
    private static short[] audioFor(UserScript script, double seconds) {
        float[] speech = new float[(int) (seconds * RATE)];
        long seed = 1;
        for (UserScript.Utterance u : script.utterances()) {
            int start = (int) (u.start().toMillis() * RATE / 1000);
            float[] s = TestSignals.speech(RATE, u.duration().toMillis() / 1000.0, seed++);
            System.arraycopy(s, 0, speech, start, s.length);
        }
        return TestSignals.pcm(TestSignals.mix(speech, TestSignals.pink(speech.length, 0.01, 99), 15, RATE));
    }

    private static List<String> run(TurnDetector detector, List<SessionException> errors) {
        VirtualClock clock = new VirtualClock();
        UserScript user = new UserScript()
                .say(1_000, 1_400, "my number is 415 555")
                .say(3_200, 1_000, "1234");
        InMemoryTransport transport = InMemoryTransport.builder(clock).script(user)
                .userAudio(audioFor(user, 8), Duration.ZERO).build();
        List<String> turns = new ArrayList<>();
        VoiceSession session = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.builder().sessionId("turns").build())
                .transport(transport)
                .vad(DspVad.defaults())
                .noiseCancellation(new SpectralNoiseSuppressor())
                .turnDetector(detector)
                .stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).reply("Got it.").build())
                .listener(new SessionListener() {
                    @Override
                    public void onUserTurn(long turnId, String text) {
                        turns.add(text);
                    }

                    @Override
                    public void onError(SessionException error) {
                        errors.add(error);
                    }
                })
                .build();
        session.start();
        clock.advanceTo(Duration.ofSeconds(8));
        session.close();
        return turns;
    }

    @Test
    void adaptiveDetectorWaitsThroughThePauseInsideAPhoneNumber() {
        List<SessionException> errors = new ArrayList<>();
        assertThat(run(new AdaptiveTurnDetector(), errors)).containsExactly("my number is 415 555 1234");
        assertThat(errors).isEmpty();
    }

    @Test
    void fixedSilenceCutsTheNumberInTwo() {
        List<SessionException> errors = new ArrayList<>();
        // The first part is committed (the cut); the rest, begun before the agent's answer to it
        // could be heard, takes it back: one answer, to the whole number.
        assertThat(run(new SilenceTurnDetector(Duration.ofMillis(500)), errors))
                .containsExactly("my number is 415 555", "my number is 415 555 1234");
        assertThat(errors).isEmpty();
    }
}
