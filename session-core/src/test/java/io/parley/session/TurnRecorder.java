package io.parley.session;

import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A user turn in virtual time, on a recognizer that takes every finalize and delivers its
 * results only when a test hands them over, with what the turn committed and dropped.
 */
final class TurnRecorder {

    final VirtualClock clock = new VirtualClock();
    final List<String> committed = new ArrayList<>();
    final List<Long> dropped = new ArrayList<>();
    final UserTurn turn = UserTurn.builder(clock, Runnable::run, new UserTurn.Listener() {
        @Override
        public void turnCommitted(long turnId, String text, UserTurn.Timing timing) {
            committed.add(text);
        }

        @Override
        public void turnDropped(long turnId, boolean resumed) {
            dropped.add(turnId);
        }
    }).recognizer(() -> true).build();

    /** Advances the clock to {@code millis} from its start, running what falls due. */
    void at(long millis) {
        clock.advanceTo(Duration.ofMillis(millis));
    }
}
