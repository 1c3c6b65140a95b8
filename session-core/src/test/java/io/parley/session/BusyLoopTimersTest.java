package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.ForwardingClock;
import io.parley.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session's timers when its event loop runs behind: a timer that fires while the loop is busy
 * posts a task that runs only after what the audio and transport threads posted before it.
 * Under load the chaos soak saw loops seconds behind; here a clock that holds the loop's tasks
 * makes the same order in virtual time.
 */
class BusyLoopTimersTest {

    /** The session's clock, whose {@link #execute} tasks (the loop's) wait while held. */
    private static final class HeldLoopClock extends ForwardingClock {
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        HeldLoopClock(Clock delegate) {
            super(delegate);
        }

        @Override
        public synchronized void execute(Runnable task) {
            if (holding) {
                held.add(task);
            } else {
                super.execute(task);
            }
        }

        synchronized void hold() {
            holding = true;
        }

        void release() {
            List<Runnable> tasks;
            synchronized (this) {
                holding = false;
                tasks = new ArrayList<>(held);
                held.clear();
            }
            tasks.forEach(super::execute);
        }
    }

    @Test
    void anInterruptionCheckThatFiredBehindANewerOnsetDoesNotOutliveStop() {
        SessionHarness h = new SessionHarness();
        h.config.interruptionMinWords(0);
        h.agentSetup = a -> a.reply(t -> t.startsWith("tell") ? "Once upon a time there was a very long story about many things" : "Sure.");
        h.user.say(500, 1000, "tell me a story");
        // Over the story (from 2470): a 300 ms sound at 3500, too short to interrupt, and words
        // from 3900. The first sound's interruption check is due at 4000.
        h.user.noise(3500, 300);
        h.user.say(3900, 800, "stop please");
        HeldLoopClock loop = new HeldLoopClock(h.clock);
        h.extra = b -> b.clock(loop);
        h.build().start();

        h.advanceTo(3700);
        // The loop falls behind before the first sound ends: its end, the new onset and the
        // check that fires at 4000 queue up in that order.
        loop.hold();
        h.advanceTo(4050);
        loop.release();
        h.advanceTo(4100);
        h.session.stop();
        h.clock.runPending();

        assertThat(h.session.state()).isEqualTo(SessionState.ENDED);
        assertThat(h.clock.pendingTimers()).as("timers left on the clock after stop()").isZero();
    }

    @Test
    void aTransportBackJustBeforeItsGraceRanOutKeepsTheSessionThoughTheLoopHeardLate() {
        SessionHarness h = new SessionHarness();
        HeldLoopClock loop = new HeldLoopClock(h.clock);
        h.extra = b -> b.clock(loop);
        h.build().start();
        h.advanceTo(1000);
        h.transport.disconnect("network blip");

        // The grace (10 s) ends at 11000; the transport is back at 10950, but the loop is busy
        // and hears of it only after the grace timer has fired.
        h.advanceTo(10_900);
        loop.hold();
        h.advanceTo(10_950);
        h.transport.reconnect();
        h.advanceTo(11_100);
        loop.release();
        h.advanceTo(12_000);

        assertThat(h.session.state()).isNotEqualTo(SessionState.ENDED);
        assertThat(h.errors).isEmpty();
        h.session.stop();
        h.clock.runPending();
        assertThat(h.clock.pendingTimers()).as("timers left on the clock after stop()").isZero();
    }
}
