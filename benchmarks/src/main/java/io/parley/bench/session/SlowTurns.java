package io.parley.bench.session;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The harness's slowest turns with their stages and the JVM uptime at which each ended, so a
 * tail can be matched against a GC or safepoint log ({@code -Xlog:gc*,safepoint}) of the same
 * run. Only turns over the threshold are kept, so the measuring path stays allocation-free.
 */
final class SlowTurns {
    private static final int LIMIT = 1000;
    private final long thresholdNanos;
    /** Offset from {@code System.nanoTime()} to JVM uptime, in nanoseconds. */
    private final long uptimeOffsetNanos;
    private final List<long[]> turns = new ArrayList<>();

    SlowTurns(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
        this.uptimeOffsetNanos = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L - System.nanoTime();
    }

    /**
     * A turn that took {@code total} ns from end of turn to first frame, sent at
     * {@code firstFrameNanos}: {@code toAgent} and {@code toTts} from the end of turn to the agent's
     * call and the synthesizer's open, {@code toFrame} from the later of them to the frame.
     */
    void add(long firstFrameNanos, long total, long toAgent, long toTts, long toFrame) {
        if (total < thresholdNanos) {
            return;
        }
        synchronized (turns) {
            if (turns.size() < LIMIT) {
                turns.add(new long[] {firstFrameNanos + uptimeOffsetNanos, total, toAgent, toTts, toFrame});
            }
        }
    }

    void reset() {
        synchronized (turns) {
            turns.clear();
        }
    }

    /** Prints the {@code n} slowest turns. */
    void print(int n) {
        List<long[]> sorted;
        synchronized (turns) {
            sorted = new ArrayList<>(turns);
        }
        sorted.sort(Comparator.comparingLong((long[] t) -> t[1]).reversed());
        System.out.printf("%nTurns over %.1f ms: %d; slowest (JVM uptime s at first frame: total ms; end of turn → agent"
                + " called | end of turn → synthesizer opened | the later of the two → first frame; -1 = unknown):%n",
                thresholdNanos / 1e6, sorted.size());
        for (long[] t : sorted.subList(0, Math.min(n, sorted.size()))) {
            System.out.printf("  %.3f s: %.2f; %s | %s | %s%n", t[0] / 1e9, t[1] / 1e6, ms(t[2]), ms(t[3]), ms(t[4]));
        }
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-1" : String.format("%.2f", nanos / 1e6);
    }
}
