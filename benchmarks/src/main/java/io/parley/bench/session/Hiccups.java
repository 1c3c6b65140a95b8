package io.parley.bench.session;

import java.util.concurrent.locks.LockSupport;

/**
 * A thread that only sleeps 1 ms at a time and records how much longer each sleep took, the way
 * jHiccup does: what it sees is not the engine's work but the platform's stalls (the OS or the
 * hypervisor taking the cores away, the JVM's safepoints and collections), which every thread
 * of the process suffers alike. Beside a driver's lateness it tells a slow engine from a
 * stalled machine.
 */
public final class Hiccups implements Runnable {

    private static final long SLEEP_NANOS = 1_000_000L;
    private final Recorder stalls = new Recorder();
    private final Thread thread = new Thread(this, "load-hiccups");
    private volatile boolean running = true;
    private volatile boolean reset;

    /** A stopped recorder; {@link #start()} starts its thread. */
    public Hiccups() {
        thread.setDaemon(true);
    }

    /** Starts sleeping and recording. */
    public void start() {
        thread.start();
    }

    /** Stops the thread. */
    public void stop() throws InterruptedException {
        running = false;
        thread.join(1000);
    }

    /** Starts recording again, from the next sleep. */
    public void reset() {
        reset = true;
    }

    /** Oversleep of each 1 ms sleep since the last {@link #reset()}. */
    public Recorder stalls() {
        return stalls;
    }

    @Override
    public void run() {
        while (running) {
            if (reset) {
                stalls.reset();
                reset = false;
            }
            long t = System.nanoTime();
            LockSupport.parkNanos(this, SLEEP_NANOS);
            stalls.add(System.nanoTime() - t - SLEEP_NANOS);
        }
    }
}
