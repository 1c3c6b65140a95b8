package io.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.testing.Violation.Invariant;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The probe's rule for callbacks after ENDED, with the wall-time grace after a start() set to
 * zero, as when the listener threads are starved for longer than the grace (a CI soak run:
 * timers up to 70 s late, a restart's state change flagged as a callback after ENDED).
 */
class SessionProbeRestartTest {

    private static StateChange change(SessionState from, SessionState to, String reason) {
        return new StateChange("s", from, to, Instant.EPOCH, reason);
    }

    @Test
    void aRestartsStateChangeDeliveredLongAfterItsStartIsNotAViolation() {
        try (ScaledClock clock = new ScaledClock(1, 1)) {
            SessionProbe probe = new SessionProbe(0, "s", clock, 0);
            probe.onStateChanged(change(SessionState.LISTENING, SessionState.ENDED, "stopped"));
            probe.startBegins();
            probe.startFailed(null);
            probe.startEnds();
            probe.onStateChanged(change(SessionState.ENDED, SessionState.LISTENING, "started"));

            assertThat(probe.violations()).isEmpty();
        }
    }

    /**
     * A start() made while the session still read LISTENING, as it ended on its own: the call
     * runs on the loop after the end and restarts it (a CI soak run, timers 211 s late, flagged
     * this restart's state change).
     */
    @Test
    void aStartMadeWhileTheSessionWasEndingMayRestartIt() {
        try (ScaledClock clock = new ScaledClock(1, 1)) {
            SessionProbe probe = new SessionProbe(0, "s", clock, 0);
            probe.startBegins();
            probe.startFailed(null);
            probe.startEnds();
            probe.onStateChanged(change(SessionState.LISTENING, SessionState.ENDED, "inactivity"));
            probe.onStateChanged(change(SessionState.ENDED, SessionState.LISTENING, "started"));

            assertThat(probe.violations()).isEmpty();
        }
    }

    @Test
    void leavingEndedWhenEveryStartWasRefusedAsActiveIsStillAViolation() {
        try (ScaledClock clock = new ScaledClock(1, 1)) {
            SessionProbe probe = new SessionProbe(0, "s", clock, 0);
            probe.startBegins();
            probe.startFailed(new CompletionException(new SessionException(ErrorCode.SESSION_ALREADY_ACTIVE, "already active")));
            probe.startEnds();
            probe.onStateChanged(change(SessionState.LISTENING, SessionState.ENDED, "stopped"));
            probe.onStateChanged(change(SessionState.ENDED, SessionState.LISTENING, "started"));

            assertThat(probe.violations()).extracting(Violation::invariant).containsExactly(Invariant.CALLBACK_AFTER_ENDED);
        }
    }
}
