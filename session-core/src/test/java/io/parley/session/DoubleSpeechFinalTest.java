package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.Transcript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A recognizer that ends utterances at pauses itself (Deepgram's endpointing) gives two
 * speech-final results for a pause the session also finalizes: its endpointing final and the
 * answer to the finalize. When the first already reaches the end of the turn's speech it answers
 * the turn, and the second arrives with nothing to answer, in virtual time.
 */
class DoubleSpeechFinalTest {

    private final TurnRecorder rec = new TurnRecorder();
    private final VirtualClock clock = rec.clock;
    private final List<String> committed = rec.committed;
    private final List<Long> dropped = rec.dropped;
    private final UserTurn turn = rec.turn;

    private void at(long millis) {
        rec.at(millis);
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    /**
     * "what time is it", its speech ending at 1000; the turn ends (about 1500) and is finalized,
     * and the endpointing final comes first, at 1700, reaching its end: it answers the turn.
     */
    private void firstTurnAnsweredByItsEndpointingFinal() {
        turn.speechStarted(1, clock.nanoTime());
        at(600);
        turn.transcript(Transcript.interim("what time is it").withAudioEnd(ms(600)));
        at(1000);
        turn.speechEnded(clock.nanoTime(), Prosody.UNKNOWN, ms(1000));
        at(1700);
        turn.transcript(Transcript.fin("what time is it", true).withAudioEnd(ms(1300)));
        assertThat(committed).containsExactly("what time is it");
    }

    /**
     * The turn "what time is it" is answered by the endpointing final; the answer to its finalize
     * (empty: the endpointing final took every word) comes once the next turn, "and the date",
     * ended, whose end of speech is not known on the recognizer's timeline (its audio waited in a
     * backlog). The stray answer reaches only the first turn's audio, short of the next turn's
     * interim: it joins that turn, which waits for its own answer. Before, it answered the turn
     * from its interim, and the turn's own final then came as new speech, a second "and the date".
     */
    @Test
    void theAnswerToAFinalizeAfterAnEndpointingFinalDoesNotAnswerTheNextTurn() {
        firstTurnAnsweredByItsEndpointingFinal();

        at(2000);
        turn.speechStarted(2, clock.nanoTime());
        at(2600);
        turn.transcript(Transcript.interim("and the date").withAudioEnd(ms(2600)));
        at(3000);
        turn.speechEnded(clock.nanoTime(), Prosody.UNKNOWN, -1);
        at(3600);
        assertThat(turn.committing()).as("the second turn ended and awaits its final").isTrue();
        turn.transcript(Transcript.fin("", true).withAudioEnd(ms(1500)));
        at(3800);
        turn.transcript(Transcript.fin("and the date", true).withAudioEnd(ms(3500)));
        at(10_000);

        assertThat(committed).containsExactly("what time is it", "and the date");
        assertThat(dropped).isEmpty();
    }

    /**
     * The same with the next turn's end of speech known: the stray answer stops short of it and
     * joins the turn (as a final of an earlier pause does); nothing is dropped or repeated. And with
     * no next turn, the stray empty answer is no turn at all.
     */
    @Test
    void theAnswerToAFinalizeAfterAnEndpointingFinalIsNeitherAPhantomTurnNorLost() {
        firstTurnAnsweredByItsEndpointingFinal();
        at(1800);
        turn.transcript(Transcript.fin("", true).withAudioEnd(ms(1500)));
        at(2000);
        assertThat(turn.turnId()).as("no turn opened by the stray answer").isZero();

        turn.speechStarted(2, clock.nanoTime());
        at(2600);
        turn.transcript(Transcript.interim("and the date").withAudioEnd(ms(2600)));
        at(3000);
        turn.speechEnded(clock.nanoTime(), Prosody.UNKNOWN, ms(3000));
        at(3800);
        turn.transcript(Transcript.fin("and the date", true).withAudioEnd(ms(3300)));
        at(10_000);

        assertThat(committed).containsExactly("what time is it", "and the date");
        assertThat(dropped).isEmpty();
    }
}
