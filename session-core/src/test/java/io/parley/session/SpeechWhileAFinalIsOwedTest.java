package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.Transcript;
import io.parley.testing.VirtualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The user speaks again after a turn was answered from its interim and while that turn's final
 * is still owed: the recognizer's results for the new speech belong to the new turn. On real
 * threads (a session whose input stalled past the stall bound mid-sentence, on a machine that
 * also held back the recognizer's final beyond its timeout) they were taken as the old turn's
 * recognizer catching up: the new turn ended with no words and was dropped as empty, and its
 * words came back only with its own late final, as a third turn seconds later.
 */
class SpeechWhileAFinalIsOwedTest {

    private final TurnRecorder rec = new TurnRecorder();
    private final VirtualClock clock = rec.clock;
    private final List<String> committed = rec.committed;
    private final List<Long> dropped = rec.dropped;
    private final UserTurn turn = rec.turn;

    private void at(long millis) {
        rec.at(millis);
    }

    @Test
    void theNewSpeechsResultsAreTheNewTurnsWhileTheAnsweredTurnsFinalIsOwed() {
        turn.speechStarted(1, clock.nanoTime());
        turn.transcript(Transcript.interim("what"));
        at(500);
        turn.speechEnded(clock.nanoTime());
        // The turn ends at 1000; no final within the 2 s timeout: answered from its interim.
        at(3100);
        assertThat(committed).containsExactly("what");

        turn.speechStarted(2, clock.nanoTime());
        at(3300);
        turn.transcript(Transcript.interim("time"));
        turn.transcript(Transcript.interim("time is it"));
        at(3600);
        turn.speechEnded(clock.nanoTime());
        // The new turn ends at 4100; its final too is late: it is answered from its own interim.
        at(6200);
        assertThat(dropped).as("no turn dropped as empty").isEmpty();
        assertThat(committed).containsExactly("what", "time is it");

        // The late finals, in order, add nothing said before.
        turn.transcript(Transcript.fin("what", true));
        turn.transcript(Transcript.fin("time is it", true));
        at(10_000);
        assertThat(committed).containsExactly("what", "time is it");
    }
}
