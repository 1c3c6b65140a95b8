package io.parley.bench.session;

import io.parley.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far behind the clock's own threads are, probed through the clock like a session uses it:
 * a chain of one-shot timers (how late each fires), a repeating timer on each pacer lane (how
 * late each run is against its schedule) and, from each such run, a task handed to the event
 * loops (how long until it runs). The sessions' timers, audio ticks and loop tasks wait for
 * those same threads, so when the inbound path is made to win the cores, this is where the cost
 * would show. About 200 probes a second; nothing is allocated per probe but the one-shot timer
 * the clock allocates as it would for a session.
 */
final class LoopLag {

    private static final long TIMER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Clock clock;
    private final Recorder timers = new Recorder();
    private final Recorder ticks = new Recorder();
    private final Recorder handOffs = new Recorder();
    /** One-shot timers' lateness by the phase of a {@link PriorityPhases} comparison (the last: after the window). */
    private final Recorder[] timersByPhase = {new Recorder(), new Recorder(), new Recorder()};
    private volatile java.util.function.IntSupplier phase = () -> 0;
    private final Runnable timer = this::timerFired;
    private final Lane[] lanes;
    private volatile boolean running = true;
    private long timerDue;

    /** @param lanes how many repeating probes to run, one per pacer lane (lanes are taken in turn) */
    LoopLag(Clock clock, int lanes) {
        this.clock = clock;
        this.lanes = new Lane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane();
        }
    }

    void start() {
        timerDue = clock.nanoTime() + TIMER_NANOS;
        clock.schedule(timer, TIMER_NANOS, TimeUnit.NANOSECONDS);
        for (Lane lane : lanes) {
            lane.due = clock.nanoTime() + TICK_NANOS;
            lane.cancel = clock.scheduleRepeating(lane::tick, TICK_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    void stop() {
        running = false;
        for (Lane lane : lanes) {
            lane.cancel.cancel();
        }
    }

    /** Where the phase of a {@link PriorityPhases} comparison is read from. */
    void phases(java.util.function.IntSupplier phase) {
        this.phase = phase;
    }

    /** One-shot timers fired in phase {@code p}: fired minus due. */
    Recorder timersInPhase(int p) {
        return timersByPhase[p];
    }

    void reset() {
        for (Recorder r : timersByPhase) {
            r.reset();
        }
        timers.reset();
        ticks.reset();
        handOffs.reset();
    }

    /** One-shot timers: fired minus due. */
    Recorder timers() {
        return timers;
    }

    /** Repeating timers: run minus scheduled run (never negative; a run may be early by design). */
    Recorder ticks() {
        return ticks;
    }

    /** A task handed from a pacer lane to the event loops: started minus handed off. */
    Recorder handOffs() {
        return handOffs;
    }

    private void timerFired() {
        long now = clock.nanoTime();
        timers.add(now - timerDue);
        timersByPhase[phase.getAsInt()].add(now - timerDue);
        if (running) {
            timerDue = now + TIMER_NANOS;
            clock.schedule(timer, TIMER_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private final class Lane {
        private final AtomicLong handedOff = new AtomicLong();
        private final Runnable loopTask = this::onLoop;
        Clock.Cancellable cancel;
        /** The run's schedule, kept as the clock's pacer keeps it: one period on, or from now when behind. */
        long due;

        void tick() {
            long now = clock.nanoTime();
            ticks.add(now - due);
            due += TICK_NANOS;
            if (due - now <= 0) {
                due = now + TICK_NANOS;
            }
            // One hand-off in flight per lane; a loop that has not run the last one yet is
            // already measured by it.
            if (handedOff.compareAndSet(0, now)) {
                clock.execute(loopTask);
            }
        }

        private void onLoop() {
            handOffs.add(clock.nanoTime() - handedOff.getAndSet(0));
        }
    }
}
