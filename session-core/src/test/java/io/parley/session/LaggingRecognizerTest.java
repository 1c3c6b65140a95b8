package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.spi.Vad;
import io.parley.spi.VadProvider;
import io.parley.spi.VadResult;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeVad;
import io.parley.turn.AdaptiveTurnDetector;
import io.parley.turn.SilenceTurnDetector;
import java.time.Duration;
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

    /** {@link FakeVad}, deaf from {@code fromMillis} to {@code toMillis}, as DspVad was to the demo caller's soft "and". */
    private static VadProvider deaf(long fromMillis, long toMillis) {
        VadProvider energy = new FakeVad();
        return new VadProvider() {
            @Override
            public String name() {
                return "deaf";
            }

            @Override
            public Vad create(AudioFormat format) {
                Vad v = energy.create(format);
                return new Vad() {
                    @Override
                    public VadResult process(io.parley.audio.AudioFrame frame) {
                        VadResult r = v.process(frame);
                        long ms = frame.timestampNanos() / 1_000_000;
                        return ms >= fromMillis && ms < toMillis ? VadResult.of(0, false) : r;
                    }

                    @Override
                    public void reset() {
                        v.reset();
                    }
                };
            }
        };
    }

    /**
     * DemoTest's caller beside another test JVM: "... that time, and" + 900 ms + the rest, the
     * VAD deaf to the soft "and" (its end of speech at 2170, after "time"), the recognizer 1.2 s
     * behind. On a recognizer that keeps up, "and" arrives within the detector's 600 ms wait for
     * "please tell me that time"; 1.2 s behind it did not, and the turn ended in the pause
     * (at 3380, when "time" arrived).
     */
    @Test
    void aPauseAfterAWordTheRecognizerHasYetToPublishDoesNotEndTheTurn() {
        SessionHarness h = lagging(1200, true);
        h.user.say(500, 2000, "please tell me that time and");
        h.user.say(3500, 1500, "how long have you been listening");
        h.extra = b -> b.vad(deaf(2170, 2500)).turnDetector(new AdaptiveTurnDetector());
        h.build().start();

        h.advanceTo(10_000);

        assertThat(h.userTurns).containsExactly("please tell me that time and how long have you been listening");
    }

    /**
     * A finished question, the recognizer 1.2 s behind: the turn ends after its last word ("it")
     * arrived at 3200, once the detector's wait (under 600 ms) plus the lag beyond 300 ms
     * (900 ms) has passed since the end of speech (2000).
     */
    @Test
    void aFinishedTurnIsAnsweredOnceTheLastWordsArrive() {
        SessionHarness h = lagging(1200, true);
        h.user.say(500, 1500, "what time is it");
        h.extra = b -> b.turnDetector(new AdaptiveTurnDetector());
        h.build().start();

        h.advanceTo(6000);

        assertThat(firstCommitMillis(h)).isBetween(3200L, 3500L);
        assertThat(h.userTurns).containsExactly("what time is it");
    }

    /**
     * A cough after the last word: the words never reach the end of speech (2000). The wait is
     * the detector's 500 ms plus the lag beyond 300 ms (800 - 300), and never beyond
     * {@code endpointingMaxDelay}.
     */
    @Test
    void voiceWithNoWordsAfterTheLastOneWaitsOnlyForTheRecognizersLag() {
        SessionHarness h = lagging(800, true);
        h.user.say(500, 1000, "thank you");
        h.user.noise(1500, 500);
        h.extra = b -> b.turnDetector(new SilenceTurnDetector(Duration.ofMillis(500)));
        h.build().start();
        h.advanceTo(6000);
        assertThat(firstCommitMillis(h)).isBetween(2980L, 3020L);
        assertThat(h.userTurns).containsExactly("thank you");

        SessionHarness capped = lagging(800, true);
        capped.user.say(500, 1000, "thank you");
        capped.user.noise(1500, 500);
        capped.config.endpointingMaxDelay(Duration.ofMillis(800));
        capped.extra = b -> b.turnDetector(new SilenceTurnDetector(Duration.ofMillis(500)));
        capped.build().start();
        capped.advanceTo(6000);
        assertThat(firstCommitMillis(capped)).isBetween(2780L, 2820L);
        assertThat(capped.userTurns).containsExactly("thank you");
    }

    /**
     * Nothing is added for a recognizer that keeps up, nor without word timings (the session
     * cannot tell how far behind the recognizer is): the detector's wait alone ends the turn.
     */
    @Test
    void aRecognizerThatKeepsUpOrGivesNoTimingsAddsNoWait() {
        for (SessionHarness h : new SessionHarness[] {lagging(250, true), lagging(1200, false)}) {
            h.user.say(500, 1500, "go forward ten meters");
            h.extra = b -> b.turnDetector(new SilenceTurnDetector(Duration.ofMillis(500)));
            h.build().start();
            h.advanceTo(6000);
            assertThat(firstCommitMillis(h)).isBetween(2480L, 2520L);
        }
    }
}
