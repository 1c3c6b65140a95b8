package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import io.parley.testing.FakeStt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpointing contract between the session and its turn detector, in virtual time. */
class EndpointingTest {

    /** A detector with a fixed wait that records what it is told. */
    private static final class Recording implements TurnDetector {
        final Duration wait;
        final List<String> pauses = new ArrayList<>();

        Recording(Duration wait) {
            this.wait = wait;
        }

        @Override
        public TurnPrediction predict(TurnContext context) {
            return new TurnPrediction(0.9, wait);
        }

        @Override
        public void observePause(Duration pause, boolean endedTurn) {
            pauses.add((endedTurn ? "ended " : "resumed ") + (pause.toMillis() / 50 * 50));
        }
    }

    @Test
    void aConfidentDetectorCommitsWellUnderHalfASecond() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        Recording detector = new Recording(Duration.ofMillis(250));
        h.extra = b -> b.turnDetector(detector);
        h.build().start();

        h.advanceTo(4000);

        // Speech ends at 1500; the detector's 250 ms are not raised to a 500 ms floor any more.
        assertThat(h.stateLog()).contains("LISTENING->PROCESSING@1750");
        assertThat(h.userTurns).containsExactly("what time is it");
    }

    @Test
    void theDetectorHearsHowTheVoiceEnded() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        List<TurnContext> contexts = new ArrayList<>();
        h.extra = b -> b.turnDetector(context -> {
            contexts.add(context);
            return new TurnPrediction(0.9, Duration.ofMillis(250));
        });
        h.build().start();

        h.advanceTo(4000);

        // The simulated user hums a steady 220 Hz: a level pitch, measured on the inbound path.
        assertThat(contexts).isNotEmpty();
        io.parley.audio.prosody.Prosody p = contexts.get(0).prosody();
        assertThat(p.isUnknown()).isFalse();
        assertThat(p.pitchSlope()).isBetween(-3.0, 3.0);
        assertThat(p.finalPitch()).isBetween(-1.0, 1.0);
    }

    @Test
    void aDetectorThatIgnoresProsodyIsSparedThePitchTracking() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        List<TurnContext> contexts = new ArrayList<>();
        h.extra = b -> b.turnDetector(new TurnDetector() {
            @Override
            public TurnPrediction predict(TurnContext context) {
                contexts.add(context);
                return new TurnPrediction(0.9, Duration.ofMillis(250));
            }

            @Override
            public boolean usesProsody() {
                return false;
            }
        });
        h.build().start();

        h.advanceTo(4000);

        assertThat(contexts).isNotEmpty();
        assertThat(contexts.get(0).prosody().isUnknown()).isTrue();
        assertThat(h.userTurns).containsExactly("what time is it");
    }

    @Test
    void withoutADetectorTheTurnEndsAfterHalfASecond() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.build().start();

        h.advanceTo(4000);

        assertThat(h.stateLog()).contains("LISTENING->PROCESSING@2000");
    }

    @Test
    void aSlowRecognizerIsAnsweredFromItsStableInterim() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        // Interims lag the audio by 300 ms, so the last one comes after the end of speech (it has
        // heard every word); the final comes a second after finalizing.
        h.stt = FakeStt.builder(h.clock, h.user).interimDelay(Duration.ofMillis(300)).finalDelay(Duration.ofSeconds(1)).build();
        h.build().start();

        h.advanceTo(6000);

        // Committed at 2000, answered from the interim 250 ms later instead of at 3000, without a timeout error.
        List<String> log = h.stateLog();
        assertThat(log).contains("LISTENING->PROCESSING@2000");
        String speaking = log.stream().filter(s -> s.startsWith("PROCESSING->SPEAKING@")).findFirst().orElseThrow();
        assertThat(Long.parseLong(speaking.substring(speaking.indexOf('@') + 1))).isLessThan(3000);
        assertThat(h.errors).isEmpty();
        // The late final is the recognizer catching up, not a new turn.
        assertThat(h.userTurns).containsExactly("what time is it");
    }

    @Test
    void aRecognizerFarBehindTheAudioIsNotAnsweredFromAnInterimThatMissesTheLastWords() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1500, "go forward ten meters");
        // A recognizer 1.6 s behind the audio (an offline decoder on a loaded machine): when the
        // turn ends at 2500 its latest interim ("go forward", out at 2475) came after the end of
        // speech but has not heard the last words, which it adds at 2850 and 3225. (WhipVoiceTest
        // on a loaded machine: first words 1.5 s after the onset, "go for" when the turn ended.)
        h.stt = FakeStt.builder(h.clock, h.user).interimDelay(Duration.ofMillis(1600)).finalDelay(Duration.ofSeconds(1)).build();
        h.build().start();

        h.advanceTo(8000);

        assertThat(h.stateLog()).contains("LISTENING->PROCESSING@2500");
        assertThat(h.userTurns).containsExactly("go forward ten meters");
    }

    @Test
    void theDetectorLearnsWhenTheUserTalksOnAfterACommit() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 800, "my number is");
        h.user.say(1700, 800, "five five five");
        Recording detector = new Recording(Duration.ofMillis(300));
        h.extra = b -> b.turnDetector(detector);
        h.build().start();

        h.advanceTo(5000);

        // Ended after 300 ms of silence at 1600, and the user talked on at 1700: a cut-off,
        // reported as a 400 ms pause the user resumed from.
        assertThat(detector.pauses).startsWith("ended 300", "resumed 400");
    }

    @Test
    void speechAfterTheAgentsWholeReplyAnswersItAndIsNoCutOff() {
        SessionHarness h = new SessionHarness();
        h.agentSetup = a -> a.reply("Okay.");
        h.user.say(500, 800, "yes");
        // The turn ends at about 1600 and the 340 ms "Okay." has played by about 2100; the user
        // speaks again within the 1.5 s in which speech would be the user talking on.
        h.user.say(2500, 800, "what else");
        Recording detector = new Recording(Duration.ofMillis(300));
        h.extra = b -> b.turnDetector(detector);
        h.build().start();

        h.advanceTo(6000);

        assertThat(h.userTurns).containsExactly("yes", "what else");
        assertThat(detector.pauses).containsExactly("ended 300", "ended 300");
    }
}
