package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.ConversationTurn;
import io.parley.testing.FakeStt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A recognizer far behind the audio (PocketSphinx on a loaded machine, DemoTest at load 20):
 * the turn ends in the user's mid-sentence pause, the user resumes while it is being committed
 * (a barge-in during PROCESSING), the recognizer's interims for the ended turn's audio arrive
 * after that, and its finals later still or never. The conversation the agent is left with holds
 * every word once, in the order spoken, however late the results come.
 */
class SlowFinalResumeTest {

    private static final String SPOKEN = "please tell me the time and how long have you been listening go forward ten meters";

    /** The user turns in the session's history at the end, and every turn committed on the way. */
    private record Outcome(List<String> history, List<String> committed) {
        String words() {
            return String.join(" ", history);
        }
    }

    private static Outcome converse(long interimDelay, long finalDelay, long finalTimeout) {
        SessionHarness h = new SessionHarness();
        h.config.sttFinalTimeout(Duration.ofMillis(finalTimeout));
        h.user.say(500, 1500, "please tell me the time and");
        h.user.say(2900, 1300, "how long have you been listening");
        h.user.say(6000, 1500, "go forward ten meters");
        h.stt = FakeStt.builder(h.clock, h.user).interimDelay(Duration.ofMillis(interimDelay))
                .finalDelay(Duration.ofMillis(finalDelay)).build();
        h.build().start();
        h.advanceTo(25_000);
        List<String> history = new ArrayList<>();
        for (ConversationTurn t : h.session.history()) {
            if (t.role() == ConversationTurn.Role.USER) {
                history.add(t.text());
            }
        }
        return new Outcome(history, h.userTurns);
    }

    @Test
    void lateInterimsOfTheEndedTurnDoNotJoinTheResumedOne() {
        // The DemoTest run: results 4 s behind the audio, a 6 s final timeout. On 0dea7bc the
        // interims of the first part went into the resumed turn and its late final was added
        // to them: "... how long have you been listening how long have you been listening",
        // and "go forward ten meters" was lost against the miscounted answer.
        Outcome o = converse(4000, 150, 6000);

        assertThat(o.words()).as("committed %s", o.committed()).isEqualTo(SPOKEN);
    }

    @Test
    void aTurnAnsweredBeforeItsFinalAndCarriedWhollyBackOwesItsFinalNothing() {
        // Finals time out (2 s) before the results 4.25 s behind arrive: the first turn is carried
        // into the second with no words of its own, so the second's late final is all new words.
        Outcome o = converse(4250, 150, 2000);

        assertThat(o.words()).as("committed %s", o.committed()).isEqualTo(SPOKEN);
    }

    @Test
    void everyWordOnceWhateverTheRecognizersLag() {
        List<String> wrong = new ArrayList<>();
        for (long timeout : new long[] {2000, 6000}) {
            for (long lag = 0; lag <= 5000; lag += 500) {
                Outcome o = converse(lag, lag / 2, timeout);
                if (!o.words().equals(SPOKEN)) {
                    wrong.add("timeout " + timeout + ", lag " + lag + ": " + o.history());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
