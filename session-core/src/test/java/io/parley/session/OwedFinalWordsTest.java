package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.Transcript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A turn answered from its interim before its final came still owes that final, and the final
 * adds the words the answer missed. A recognizer's final holds only the words no earlier final
 * held, so what it adds is counted against the interim part of the answer, not against the whole
 * answer: counted against the whole (its earlier finals too), the words it added were taken for
 * words already answered and lost.
 */
class OwedFinalWordsTest {

    private final VirtualClock clock = new VirtualClock();
    private final List<String> committed = new ArrayList<>();
    private final UserTurn turn = UserTurn.builder(clock, Runnable::run, (id, text, timing) -> committed.add(text))
            .recognizer(() -> true).build();

    private void at(long millis) {
        clock.advanceTo(Duration.ofMillis(millis));
    }

    /**
     * "please tell me" is final at a pause; the interim of the rest, "the time", lags the audio
     * ("the time and date"). No final within the 2 s timeout: the turn is answered "please tell
     * me the time". The late final of the rest, "the time and date", adds "and date", which must
     * reach the agent as the next turn. Before, it was counted against all five words answered,
     * added nothing, and "and date" was lost.
     */
    @Test
    void theWordsALateFinalAddsAfterAnEarlierFinalAreNotLost() {
        turn.speechStarted(1, clock.nanoTime());
        at(800);
        turn.transcript(Transcript.fin("please tell me", false));
        at(1200);
        turn.transcript(Transcript.interim("the time"));
        at(1500);
        turn.speechEnded(clock.nanoTime());
        // The turn ends at 2000; the final is not there by 4000: answered from the interim.
        at(4100);
        assertThat(committed).containsExactly("please tell me the time");

        turn.transcript(Transcript.fin("the time and date", true));
        at(8000);
        assertThat(committed).containsExactly("please tell me the time", "and date");
    }

    /**
     * A recognizer whose interims start afresh after it closed an utterance at a pause, and
     * whose final for that pause comes seconds late: the turn's interim is "the time" (the words
     * after the pause) when its wait times out, and it is answered "the time". The late final of
     * the pause, "please tell me", holds none of the answer's words: all of them are new and reach
     * the agent as the next turn; the answer to the finalize, "the time", adds nothing. Before, the
     * pause final was taken to cover the answer's first words: "me" went on as new, "please tell"
     * was lost, and the answer to the finalize then added "the time" a second time.
     */
    @Test
    void aLateFinalOfAPauseBeforeTheInterimTheTurnWasAnsweredWithIsAllNew() {
        turn.speechStarted(1, clock.nanoTime());
        at(800);
        turn.transcript(Transcript.interim("please tell me").withAudioEnd(ms(800)));
        at(1600);
        turn.transcript(Transcript.interim("the time").withAudioEnd(ms(1600)));
        at(1800);
        turn.speechEnded(clock.nanoTime(), io.parley.audio.prosody.Prosody.UNKNOWN, ms(1800));
        // The turn ends at 2300; no final by 4300: answered from the interim.
        at(4400);
        assertThat(committed).containsExactly("the time");

        turn.transcript(Transcript.fin("please tell me", true).withAudioEnd(ms(1300)));
        at(4500);
        turn.transcript(Transcript.fin("the time", true).withAudioEnd(ms(2300)));
        at(8000);
        assertThat(committed).containsExactly("the time", "please tell me");
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
