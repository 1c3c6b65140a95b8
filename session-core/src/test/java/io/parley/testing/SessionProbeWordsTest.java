package io.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.TurnCommit;
import io.parley.session.UserTranscript;
import io.parley.spi.Transcript;
import io.parley.testing.Violation.Invariant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chaos probe's word invariants: each sees the fault it exists for, and not what the session does by design. */
class SessionProbeWordsTest {

    private final ScaledClock clock = new ScaledClock(1);
    private final SessionProbe probe = new SessionProbe(0, "s", clock);

    @AfterEach
    void closeClock() {
        clock.close();
    }

    private List<Invariant> found() {
        probe.words.check("");
        return probe.violations().stream().map(Violation::invariant).toList();
    }

    private void reported(long turnId, String finalText) {
        probe.onUserTranscript(new UserTranscript(turnId, Transcript.fin(finalText, true), clock.now()));
    }

    /**
     * Turn {@code turnId} committed now, its speech having ended at {@code speechEndNanos}. The
     * clock is real: the time from its end to now is taken at the commit, so a stall of the test
     * thread (a loaded CI machine) does not move the speech end across the words around it.
     */
    private void committed(SessionProbe p, long turnId, String text, long speechEndNanos, Duration transcriptDelay) {
        p.onUserTurn(turnId, text);
        long ago = clock.nanoTime() - speechEndNanos;
        Duration eot = Duration.ofNanos(ago).minus(transcriptDelay);
        p.onTurnCommitted(new TurnCommit(turnId, text, false, false, eot, transcriptDelay, clock.now()));
    }

    @Test
    void aWordInTwoTurnsIsRepeatedUnlessItsTurnWasCarriedWhole() {
        probe.onUserTurn(1, "word1 word2");
        probe.onUserTurn(2, "word1 word2 word3");
        assertThat(found()).as("turn 1 carried whole into turn 2").isEmpty();
        probe.onUserTurn(3, "word3 word4");
        assertThat(found()).containsExactly(Invariant.WORD_REPEATED);
    }

    @Test
    void aFinalWordInNoTurnIsLostWhenNoSpeechIsDroppedByDesign() {
        probe.words.interruptions(false);
        reported(1, "word1 word2");
        probe.onUserTurn(1, "word1");
        assertThat(found()).containsExactly(Invariant.WORD_LOST);
    }

    @Test
    void withInterruptionsOnWordsMayBeDroppedWithABackchannel() {
        probe.words.interruptions(true);
        reported(1, "word1 word2");
        probe.onUserTurn(1, "word1");
        assertThat(found()).isEmpty();
    }

    @Test
    void aWordSpokenBeforeATurnsSpeechEndedInALaterTurnIsSplitUnlessTheTurnTimedOut() {
        for (boolean timedOut : new boolean[] {false, true}) {
            SessionProbe p = new SessionProbe(0, "s", clock);
            p.words.vadDriven(true);
            p.words.finalTimeout(Duration.ofSeconds(2));
            long now = clock.nanoTime();
            p.words.wordHeard("word1", now - Duration.ofSeconds(5).toNanos(), false);
            p.words.wordHeard("word2", now - Duration.ofSeconds(4).toNanos(), false);
            p.words.wordHeard("word3", now - Duration.ofMillis(500).toNanos(), false);
            p.words.finalizedWords(List.of("word1", "word2", "word3"), WordLedger.Timings.PUBLISHED);
            // Turn 1's speech ended 2.5 s before now, after word2 and before word3.
            Duration delay = timedOut ? Duration.ofSeconds(2) : Duration.ofMillis(200);
            p.onUserTurn(1, "word1");
            long ago = clock.nanoTime() - (now - Duration.ofMillis(2500).toNanos());
            p.onTurnCommitted(new TurnCommit(1, "word1", timedOut, false, Duration.ofNanos(ago).minus(delay), delay, clock.now()));
            p.onUserTurn(2, "word2 word3");
            p.words.check("");
            assertThat(p.violations().stream().map(Violation::invariant).toList()).as("timed out: %s", timedOut)
                    .isEqualTo(timedOut ? List.of() : List.of(Invariant.WORDS_SPLIT));
        }
    }

    @Test
    void aTurnWhoseAudioCameInABurstIsNotJudgedOnItsWords() {
        probe.words.vadDriven(true);
        long now = clock.nanoTime();
        probe.words.wordHeard("word1", now - Duration.ofSeconds(3).toNanos(), false);
        probe.words.wordHeard("word2", now - Duration.ofSeconds(2).toNanos(), false);
        probe.words.finalizedWords(List.of("word1", "word2"), WordLedger.Timings.PUBLISHED);
        probe.lateAudio(Duration.ofSeconds(5).toNanos(), now);
        committed(probe, 1, "word1", now - Duration.ofSeconds(1).toNanos(), Duration.ofMillis(200));
        probe.onUserTurn(2, "word2");
        assertThat(found()).isEmpty();
    }

    @Test
    void wordsSaidAfterATurnsSpeechEndedMayGoToTheNextTurn() {
        probe.words.vadDriven(true);
        long now = clock.nanoTime();
        probe.words.wordHeard("word1", now - Duration.ofSeconds(3).toNanos(), false);
        probe.words.wordHeard("word2", now - Duration.ofMillis(500).toNanos(), false);
        probe.words.finalizedWords(List.of("word1", "word2"), WordLedger.Timings.PUBLISHED);
        committed(probe, 1, "word1", now - Duration.ofSeconds(1).toNanos(), Duration.ofMillis(200));
        probe.onUserTurn(2, "word2");
        assertThat(found()).isEmpty();
    }
}
