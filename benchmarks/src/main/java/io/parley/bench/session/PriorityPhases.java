package io.parley.bench.session;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An A/B comparison of thread priorities inside one measured window: phases of
 * {@link #PHASE_SECONDS} alternate between every thread at normal priority (A) and the drivers
 * and the clock's threads at the priorities given (B). The machine's speed drifts by tens of
 * percent within minutes here, so runs of one priority after the other compare the machine
 * more than the priorities; phases a few seconds long, interleaved, see the same machine. The
 * priorities reach the OS only with {@code -XX:ThreadPriorityPolicy=1} (the harness prints the
 * nice values the threads had at the end of the window, which is a phase B).
 *
 * <p>Biased towards B, so a B that wins is not yet a result: A holds the window's first seconds
 * (any stall left from the warm-up), and the work B defers for the threads it lowers is caught up
 * in the A after it (in two runs a stall of 0.6-2.4 s began 0.03 and 1.2 s after a flip from B to
 * A; in another, one began at a flip from A to B). Confirm a B that wins with separate runs, one
 * setting after the other.
 */
final class PriorityPhases {

    static final int PHASE_SECONDS = 5;

    private final List<LoadDriver> drivers;
    private final int driverPriority;
    private final int clockPriority;
    private volatile int phase;

    /** @param spec {@code D:C}, the drivers' and the clock threads' Java priority in phase B */
    PriorityPhases(List<LoadDriver> drivers, String spec) {
        this.drivers = drivers;
        String[] p = spec.split(":");
        if (p.length != 2) {
            throw new IllegalArgumentException("--ab-priority takes DRIVER:CLOCK, e.g. 10:1, not " + spec);
        }
        driverPriority = Integer.parseInt(p[0]);
        clockPriority = Integer.parseInt(p[1]);
    }

    /** After the window: what the drivers and probes see then is not part of either phase. */
    static final int AFTER = 2;

    /** The current phase: 0 for A (normal priorities), 1 for B, {@link #AFTER} once the window ended. */
    int phase() {
        return phase;
    }

    String describe() {
        return "phase A: every thread at priority " + Thread.NORM_PRIORITY + "; phase B: drivers " + driverPriority
                + ", the clock's threads (event loops, pacers, blocking pool) " + clockPriority + "; "
                + PHASE_SECONDS + " s each, alternating";
    }

    /** Runs the window for {@code millis}, starting with phase A and ending with a phase B. */
    void run(long millis) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
        long phaseNanos = TimeUnit.SECONDS.toNanos(PHASE_SECONDS);
        // An even number of phases, so A and B get the same time.
        long phases = Math.max(2, (end - start) / phaseNanos / 2 * 2);
        for (int k = 0; k < phases; k++) {
            apply(k % 2);
            long next = start + (k + 1) * phaseNanos;
            for (long left; (left = next - System.nanoTime()) > 0; ) {
                Thread.sleep(Math.max(1, left / 1_000_000L));
            }
        }
    }

    /** Ends the comparison with every thread back at normal priority. */
    void end() {
        apply(0);
        phase = AFTER;
    }

    private void apply(int next) {
        for (LoadDriver d : drivers) {
            d.setPriority(next == 0 ? Thread.NORM_PRIORITY : driverPriority);
        }
        // Enumerated from the root thread group, not Thread.getAllStackTraces(), which would
        // stop every thread at a safepoint to walk its stack at each flip.
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 64];
        int n = root.enumerate(all, true);
        for (int i = 0; i < n; i++) {
            String name = all[i].getName();
            if (name.startsWith("parley-loop-") || name.startsWith("parley-user-")) {
                all[i].setPriority(next == 0 ? Thread.NORM_PRIORITY : clockPriority);
            }
        }
        phase = next;
    }
}
