package io.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.PlaybackEvent;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.testing.Violation.Invariant;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The probe's turn invariant as the driver applies it to a calm session: it judges the turns it
 * counted when it found none outstanding. A soak starved of CPU found a session calm while it was
 * still ending a turn (a burst of late audio), and judged it 4.8 s of session time later, after
 * the turn was committed: TURN_UNANSWERED for a turn whose agent had been called 5 ms before.
 * And a reply cut by interrupt() is excused whenever the cut comes.
 */
class SessionProbeTurnsTest {

    private static void answer(SessionProbe probe, long turnId, long speechId) {
        probe.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.STARTED, speechId, turnId, "ok", "", Duration.ZERO, Instant.EPOCH));
        probe.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.FINISHED, speechId, turnId, "ok", "ok", Duration.ofMillis(300),
                Instant.EPOCH));
    }

    @Test
    void aTurnCommittedAfterTheSessionWasFoundCalmIsNotJudgedUnanswered() {
        try (ScaledClock clock = new ScaledClock(1, 1)) {
            SessionProbe probe = new SessionProbe(0, "s", clock);
            probe.onUserTurn(1, "hello");
            answer(probe, 1, 1);
            int answered = probe.answeredMark();
            // The turn the session was still ending when the driver looked: committed before it judges.
            probe.onUserTurn(2, "what time is it");

            probe.checkTurns("input", answered);

            assertThat(answered).isEqualTo(1);
            assertThat(probe.violations()).isEmpty();
        }
    }

    @Test
    void theTurnsCountedBeforeAreStillJudged() {
        try (ScaledClock clock = new ScaledClock(1, 1)) {
            SessionProbe probe = new SessionProbe(0, "s", clock);
            probe.onUserTurn(1, "hello");
            probe.onUserTurn(2, "what time is it");

            probe.checkTurns("input", 1);

            assertThat(probe.violations()).extracting(Violation::invariant).containsExactly(Invariant.TURN_UNANSWERED);
            assertThat(probe.violations().get(0).detail()).startsWith("turn 1 \"hello\"");
        }
    }

    @Test
    void aSessionWithAnOutstandingTurnIsNotCalm() {
        try (ScaledClock clock = new ScaledClock(1, 1)) {
            SessionProbe probe = new SessionProbe(0, "s", clock);
            probe.onUserTurn(1, "hello");
            answer(probe, 1, 1);
            probe.onUserTurn(2, "what time is it");

            assertThat(probe.answeredMark()).isEqualTo(-1);
            probe.checkTurns("input");
            assertThat(probe.violations()).extracting(Violation::invariant).containsExactly(Invariant.TURN_UNANSWERED);
        }
    }

    /**
     * interrupt() cuts the reply of a turn committed after the call, its task having waited
     * behind the turn's commit on a starved loop (a soak: 3.2 s of wall time after the call,
     * timers 158 s late): the session says so with the state change the interrupt makes.
     */
    @Test
    void aReplyCutWhenInterruptTookEffectIsCutByTheApiHoweverLate() {
        for (String reason : new String[] {"interrupted", "barge_in"}) {
            try (ScaledClock clock = new ScaledClock(1, 1)) {
                SessionProbe probe = new SessionProbe(0, "s", clock);
                probe.onUserTurn(4, "what time is it");
                probe.onPlayback(new PlaybackEvent(PlaybackEvent.Kind.INTERRUPTED, 8, 4, "ok", "", Duration.ZERO, Instant.EPOCH));
                probe.onStateChanged(new StateChange("s", SessionState.PROCESSING, SessionState.LISTENING, Instant.EPOCH, reason));

                probe.checkTurns("input");

                if (reason.equals("interrupted")) {
                    assertThat(probe.violations()).isEmpty();
                } else {
                    assertThat(probe.violations()).as("a cut the API did not make")
                            .extracting(Violation::invariant).containsExactly(Invariant.TURN_UNANSWERED);
                }
            }
        }
    }
}
