package io.parley.bench.session;

import java.util.concurrent.locks.LockSupport;

/**
 * How late the machine wakes a thread of this process that asks to sleep 1 ms, sampled all
 * through a run, in the manner of jHiccup: what any hand-off between threads can cost at the
 * same moment (CPU contention from other processes, safepoints), independent of Parley's code.
 * The harness reports it beside the per-turn overhead so a tail can be told apart from the
 * platform's. Allocates nothing while it runs.
 */
final class Hiccups implements Runnable {
    private static final long PERIOD_NANOS = 1_000_000L;
    private final Recorder late = new Recorder();
    private final Thread thread = new Thread(this, "hiccup-meter");
    private volatile boolean running = true;

    Hiccups() {
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
    }

    /** Wake-up lateness beyond the requested 1 ms. */
    Recorder lateness() {
        return late;
    }

    @Override
    public void run() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(PERIOD_NANOS);
            late.add(System.nanoTime() - before - PERIOD_NANOS);
        }
    }
}
