package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.TurnDetector;
import io.parley.spi.VadProvider;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeVad;
import io.parley.turn.AdaptiveTurnDetector;
import io.parley.turn.SilenceTurnDetector;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A recognizer behind its audio (an offline decoder on a loaded machine) publishes the words of
 * a pause late: the end of turn adds its lag, as the words show it, to the detector's wait,
 * within {@code endpointingMaxDelay}, in virtual time. The recognizer times its words
 * ({@link FakeStt} with word timings: each word reported {@code lag} after its end), as
 * PocketSphinx does.
 */
class LaggingRecognizerTest {

    private static SessionHarness lagging(long lagMillis, boolean timings) {
        SessionHarness h = new SessionHarness();
        h.stt = FakeStt.builder(h.clock, h.user).interimDelay(Duration.ofMillis(lagMillis))
                .finalDelay(Duration.ofMillis(300)).wordTimings(timings).build();
        return h;
    }

    private static long firstCommitMillis(SessionHarness h) {
        String commit = h.stateLog().stream().filter(s -> s.startsWith("LISTENING->PROCESSING@")).findFirst().orElseThrow();
        return Long.parseLong(commit.substring(commit.indexOf('@') + 1));
    }

    /**
     * DemoTest's caller beside another test JVM: "... that time, and" + 900 ms + the rest, the
     * recognizer 1.2 s behind. On a recognizer that keeps up, "and" arrives within the
     * detector's wait for "please tell me that time"; 1.2 s behind it did not, and the turn
     * ended in the pause when "time" arrived. (Here the VAD hears the soft "and", as DspVad now
     * does on the demo's audio: speech again 200 ms after "time,". A word it misses entirely
     * is taken for one decoded from the silence; see {@link AdaptiveTurnDetector}.)
     */
    @Test
    void aPauseAfterAWordTheRecognizerHasYetToPublishDoesNotEndTheTurn() {
        assertThat(demoCallersQuestion(3500, stt -> stt.interimDelay(Duration.ofMillis(1200))))
                .containsExactly("please tell me that time and how long have you been listening");
    }

    /**
     * The same caller, the recognizer keeping up (100 ms) until it stalls for 800 ms just after
     * "time" (a decoder starved of CPU, as beside three CPU burners): its results so far showed
     * no lag, but "and" is not out when the detector's wait for the end of speech (2500) is over.
     * The stream's published position shows the stall, and the turn waits for "and" (3200).
     */
    @Test
    void aRecognizerStalledInThePauseIsWaitedFor() {
        assertThat(demoCallersQuestion(3300, stt -> stt.interimDelay(Duration.ofMillis(100))
                .stall(Duration.ofMillis(2400), Duration.ofMillis(800))))
                .containsExactly("please tell me that time and how long have you been listening");
    }

    /**
     * A detector whose wait is shorter than the stall check's allowance (here a 300 ms neutral
     * wait) is still not judged on results that stop short of the end of speech (2500, heard
     * this time; the words are 180 ms long, so "york" ends close enough to it to look like the
     * last word): the recognizer keeps up (100 ms) but stalls for 800 ms from 2550, before
     * publishing "and" (due at 2600). At the wait's end (2800) its results reached 2450, within
     * the 400 ms allowance of the wait's end, and the turn ended on "... town of york"; they
     * must reach {@link RecognizerLag#COVER} past the end of speech first.
     */
    @Test
    void aShortWaitIsNotJudgedOnResultsThatStopShortOfTheEndOfSpeech() {
        assertThat(question("please tell me the time in the town of york and", 3500, stt -> stt.interimDelay(Duration.ofMillis(100))
                .stall(Duration.ofMillis(2550), Duration.ofMillis(800)), new FakeVad(),
                AdaptiveTurnDetector.builder().neutralDelay(Duration.ofMillis(300)).build()))
                .containsExactly("please tell me the time in the town of york and how long have you been listening");
    }

    /** The user turns of the demo caller's question, resumed at {@code resumeMillis}, with a recognizer that times its words. */
    private static List<String> demoCallersQuestion(long resumeMillis, UnaryOperator<FakeStt.Builder> recognizer) {
        return question("please tell me that time and", resumeMillis, recognizer, new FakeVad(), new AdaptiveTurnDetector());
    }

    /** The user turns of {@code first} (0.5-2.5 s), then the rest of the question from {@code resumeMillis}. */
    private static List<String> question(String first, long resumeMillis, UnaryOperator<FakeStt.Builder> recognizer, VadProvider vad,
                                         TurnDetector detector) {
        SessionHarness h = new SessionHarness();
        h.stt = recognizer.apply(FakeStt.builder(h.clock, h.user).finalDelay(Duration.ofMillis(300)).wordTimings(true)).build();
        h.user.say(500, 2000, first);
        h.user.say(resumeMillis, 1500, "how long have you been listening");
        h.extra = b -> b.vad(vad).turnDetector(detector);
        h.build().start();
        h.advanceTo(10_000);
        return h.userTurns;
    }

    /**
     * A finished question, the recognizer 1.2 s behind: the turn ends after its last word ("it")
     * arrived at 3200, once the detector's wait (under 600 ms) plus the lag beyond 100 ms
     * (1100 ms) has passed since the end of speech (2000).
     */
    @Test
    void aFinishedTurnIsAnsweredOnceTheLastWordsArrive() {
        SessionHarness h = lagging(1200, true);
        h.user.say(500, 1500, "what time is it");
        h.extra = b -> b.turnDetector(new AdaptiveTurnDetector());
        h.build().start();

        h.advanceTo(6000);

        assertThat(firstCommitMillis(h)).isBetween(3200L, 3700L);
        assertThat(h.userTurns).containsExactly("what time is it");
    }

    /**
     * A cough after the last word: the words never reach the end of speech (2000). The wait is
     * the detector's 500 ms plus the lag beyond 100 ms (800 - 100), ending the turn at 3200, and
     * never beyond {@code endpointingMaxDelay} (800 ms: at 2800).
     */
    @Test
    void voiceWithNoWordsAfterTheLastOneWaitsOnlyForTheRecognizersLag() {
        for (long[] maxAndCommit : new long[][] {{3000, 3200}, {800, 2800}}) {
            SessionHarness h = lagging(800, true);
            h.user.say(500, 1000, "thank you");
            h.user.noise(1500, 500);
            h.config.endpointingMaxDelay(Duration.ofMillis(maxAndCommit[0]));
            h.extra = b -> b.turnDetector(new SilenceTurnDetector(Duration.ofMillis(500)));
            h.build().start();
            h.advanceTo(6000);
            assertThat(firstCommitMillis(h)).isBetween(maxAndCommit[1] - 20, maxAndCommit[1] + 20);
            assertThat(h.userTurns).containsExactly("thank you");
        }
    }

    /**
     * Nothing is added for a recognizer that keeps up, nor without word timings (the session
     * cannot tell how far behind the recognizer is): the detector's wait alone ends the turn.
     */
    @Test
    void aRecognizerThatKeepsUpOrGivesNoTimingsAddsNoWait() {
        for (SessionHarness h : new SessionHarness[] {lagging(100, true), lagging(1200, false)}) {
            h.user.say(500, 1500, "go forward ten meters");
            h.extra = b -> b.turnDetector(new SilenceTurnDetector(Duration.ofMillis(500)));
            h.build().start();
            h.advanceTo(6000);
            assertThat(firstCommitMillis(h)).isBetween(2480L, 2520L);
        }
    }
}
