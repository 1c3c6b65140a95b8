package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.ExpectedAnswer;
import io.parley.turn.AdaptiveTurnDetector;
import org.junit.jupiter.api.Test;

/**
 * {@link VoiceSession#expect} in virtual time: how long an expectation holds. The user reads a
 * three-digit number with a 900 ms pause after its second digit, longer than the detector's
 * neutral wait: one turn only while the number is expected.
 */
class ExpectedAnswerTest {

    /** The words' verdict alone: the test kit's audio has no voice whose pitch means anything. */
    private static AdaptiveTurnDetector wordsOnly() {
        return AdaptiveTurnDetector.builder().prosodyWeight(0).build();
    }

    private static SessionHarness session(boolean preemptive) {
        SessionHarness h = new SessionHarness();
        h.config.preemptiveGeneration(preemptive);
        h.extra = b -> b.turnDetector(wordsOnly());
        h.user.say(500, 1000, "what is the code")
                .say(4000, 600, "four one").say(5500, 300, "five")
                .say(9000, 600, "seven seven").say(10_500, 300, "eight");
        h.agentSetup = a -> a.reply(t -> {
            if (t.equals("what is the code")) {
                h.session.expect(ExpectedAnswer.digits(3));
                return "Please say the code.";
            }
            return "Thanks.";
        });
        return h.build().start();
    }

    @Test
    void anExpectationSetWithAReplyHoldsForTheAnswerAndEndsWithIt() {
        SessionHarness h = session(false);
        h.advanceTo(14_000);
        // The code is one turn; the next number, no longer expected, is cut at its pause (its
        // last digit, said while the agent answers the cut, is too short to interrupt it).
        assertThat(h.userTurns).startsWith("what is the code", "four one five", "seven seven");
        assertThat(h.errors).isEmpty();
    }

    @Test
    void aReplyGeneratedBeforeTheCommitSetsItForTheNextTurnNotTheOneItAnswers() {
        SessionHarness h = session(true);
        h.advanceTo(14_000);
        assertThat(h.agent.calls()).first().satisfies(c -> assertThat(c.preemptive()).isTrue());
        assertThat(h.userTurns).startsWith("what is the code", "four one five", "seven seven");
        assertThat(h.errors).isEmpty();
    }

    @Test
    void withoutAnExpectationTheCodeIsCutAtItsPause() {
        SessionHarness h = new SessionHarness();
        h.extra = b -> b.turnDetector(wordsOnly());
        h.user.say(4000, 600, "four one").say(5500, 300, "five");
        h.build().start();
        h.advanceTo(8_000);
        assertThat(h.userTurns).first().isEqualTo("four one");
    }

    @Test
    void aNullExpectationIsRejected() {
        SessionHarness h = session(false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.session.expect(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
