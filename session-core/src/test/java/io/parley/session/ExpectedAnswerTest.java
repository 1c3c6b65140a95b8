package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFrame;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.testing.FakeStt;
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
        // The code is one turn; the next number, no longer expected, is cut at its pause, and its
        // last digit, begun 30 ms into the agent's answer to the cut, takes the turn back.
        assertThat(h.userTurns).containsExactly("what is the code", "four one five", "seven seven", "seven seven eight");
        assertThat(h.errors).isEmpty();
    }

    @Test
    void aReplyGeneratedBeforeTheCommitSetsItForTheNextTurnNotTheOneItAnswers() {
        SessionHarness h = session(true);
        h.advanceTo(14_000);
        assertThat(h.agent.calls()).first().satisfies(c -> assertThat(c.preemptive()).isTrue());
        // Generated ahead, the answer to the cut plays from 10300 and is over at 10760, before
        // the digit begun at 10500 ends: nothing is left to take back, the digit is a turn.
        assertThat(h.userTurns).containsExactly("what is the code", "four one five", "seven seven", "eight");
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
    void aRecognizerThatCannotTakeTheHintIsReportedAndTheDetectorStillHasIt() {
        SessionHarness h = new SessionHarness();
        FakeStt fake = FakeStt.builder(h.clock, h.user).build();
        h.extra = b -> b.turnDetector(wordsOnly()).stt(new SttProvider() {
            @Override
            public String name() {
                return "refuses-hints";
            }

            @Override
            public SttStream open(SttRequest request, SttListener listener) {
                SttStream inner = fake.open(request, listener);
                return new SttStream() {
                    @Override
                    public void write(AudioFrame frame) {
                        inner.write(frame);
                    }

                    @Override
                    public void finalizeUtterance() {
                        inner.finalizeUtterance();
                    }

                    @Override
                    public void expect(ExpectedAnswer answer) {
                        throw new IllegalStateException("no digit grammar loaded");
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }
        });
        h.user.say(500, 1000, "what is the code").say(4000, 600, "four one").say(5500, 300, "five");
        h.agentSetup = a -> a.reply(t -> {
            if (t.equals("what is the code")) {
                h.session.expect(ExpectedAnswer.digits(3));
                return "Please say the code.";
            }
            return "Thanks.";
        });
        h.build().start();
        h.advanceTo(9_000);

        // The stream's refusal is an STT_ERROR, once per expectation handed to it (set, then
        // cleared at the answer); the session goes on and the detector holds the code whole.
        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.STT_ERROR, ErrorCode.STT_ERROR);
        assertThat(h.errors.get(0)).hasRootCauseMessage("no digit grammar loaded");
        assertThat(h.userTurns).containsExactly("what is the code", "four one five");
    }

    @Test
    void aDateAskedForHoldsAMonthSaidAloneForItsDay() {
        // "may" alone, 1 s of silence, then the day: the month is a modal too, and alone it
        // would sound as finished as "yes" does; asked for a date, it is the date begun.
        SessionHarness h = new SessionHarness();
        h.extra = b -> b.turnDetector(wordsOnly());
        h.user.say(500, 1000, "when can you come").say(4000, 400, "may").say(5400, 500, "fifteenth")
                .say(9000, 400, "may").say(10_400, 500, "fifteenth");
        h.agentSetup = a -> a.reply(t -> {
            if (t.equals("when can you come")) {
                h.session.expect(ExpectedAnswer.date());
                return "Which day?";
            }
            return "Booked.";
        });
        h.build().start();
        h.advanceTo(14_000);
        // Answered, the next "may" is no longer a date begun: it is cut at its pause, and its
        // day, begun before the agent's answer to the cut could be heard, takes the turn back.
        assertThat(h.userTurns).containsExactly("when can you come", "may fifteenth", "may", "may fifteenth");
        assertThat(h.errors).isEmpty();
    }

    /** The user reads the code as in {@link #session}; the agent asks for it through its context. */
    private static SessionHarness askingThroughItsContext(boolean cancelFirst) {
        SessionHarness h = new SessionHarness();
        h.extra = b -> b.turnDetector(wordsOnly()).streamingAgent((ctx, text, sink) -> {
            if (text.equals("what is the code")) {
                if (cancelFirst) {
                    // A reply cut before it asks asked for nothing.
                    ctx.onCancel(() -> ctx.expect(ExpectedAnswer.digits(3)));
                    return;
                }
                ctx.expect(ExpectedAnswer.digits(3));
            }
            sink.write(text.equals("what is the code") ? "Please say the code." : "Thanks.");
            sink.complete();
        });
        h.user.say(500, 1000, "what is the code").say(4000, 600, "four one").say(5500, 300, "five");
        return h.build().start();
    }

    @Test
    void anAgentSetsItThroughItsContext() {
        SessionHarness h = askingThroughItsContext(false);
        h.advanceTo(9_000);
        assertThat(h.userTurns).containsExactly("what is the code", "four one five");
        assertThat(h.errors).isEmpty();
    }

    @Test
    void aReplyCancelledBeforeItAsksExpectsNothing() {
        SessionHarness h = askingThroughItsContext(true);
        h.advanceTo(3_000);
        h.session.interrupt();
        h.advanceTo(9_000);
        assertThat(h.userTurns).startsWith("what is the code", "four one");
        assertThat(h.errors).isEmpty();
    }

    @Test
    void aNullExpectationIsRejected() {
        SessionHarness h = session(false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.session.expect(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
