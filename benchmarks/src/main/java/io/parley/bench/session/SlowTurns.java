package io.parley.bench.session;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The harness's slowest turns with their stages, the threads each stage ran on, and the JVM
 * uptime at which each ended, so a tail can be matched against a GC or safepoint log
 * ({@code -Xlog:gc*,safepoint}) of the same run. Only turns over the threshold are kept, and
 * only until {@link #freeze()} (the end of the measured window).
 */
final class SlowTurns {
    private static final int LIMIT = 1000;
    private final long thresholdNanos;
    /** Offset from {@code System.nanoTime()} to JVM uptime, in nanoseconds. */
    private final long uptimeOffsetNanos;
    private final List<Turn> turns = new ArrayList<>();
    private volatile boolean frozen;

    /**
     * One reply's milestones (clock nanoseconds) and the threads they happened on.
     *
     * @param agentCalled the agent was called (on a blocking thread)
     * @param ttsOpened   the synthesizer was opened (on a blocking thread)
     * @param flushed     the synthesizer was flushed: the whole text and the open stream met on the loop
     * @param firstFrame  the reply's first frame reached the transport
     */
    record Reply(long firstFrame, long agentCalled, long ttsOpened, long flushed, Thread agentThread, Thread ttsThread,
                 Thread flushThread, Thread frameThread) {
    }

    private record Turn(Reply reply, long total, long end, long committed) {
    }

    SlowTurns(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
        this.uptimeOffsetNanos = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L - System.nanoTime();
    }

    /**
     * A turn that took {@code total} ns from its end ({@code end}, -1 if its stages are unknown)
     * to the first frame of {@code reply}, committed at {@code committed}.
     */
    void add(Reply reply, long total, long end, long committed) {
        if (total < thresholdNanos || frozen) {
            return;
        }
        synchronized (turns) {
            if (turns.size() < LIMIT) {
                turns.add(new Turn(reply, total, end, committed));
            }
        }
    }

    void reset() {
        synchronized (turns) {
            turns.clear();
        }
    }

    /** Keeps no more turns: the measured window is over. */
    void freeze() {
        frozen = true;
    }

    /** Prints the {@code n} slowest turns. */
    void print(int n) {
        List<Turn> sorted;
        synchronized (turns) {
            sorted = new ArrayList<>(turns);
        }
        sorted.sort(Comparator.comparingLong(Turn::total).reversed());
        System.out.printf("%nTurns over %.1f ms: %d; slowest (JVM uptime s at first frame: total ms; end of turn → committed; end of turn → agent"
                + " called @thread | end of turn → synthesizer opened @thread | the later of the two → flush @thread |"
                + " flush → first frame @thread; -1 = unknown):%n", thresholdNanos / 1e6, sorted.size());
        for (Turn t : sorted.subList(0, Math.min(n, sorted.size()))) {
            Reply r = t.reply();
            long ready = Math.max(r.agentCalled(), r.ttsOpened());
            boolean staged = t.end() >= 0;
            System.out.printf("  %.3f s: %.2f; %s; %s @%s | %s @%s | %s @%s | %s @%s%n", (r.firstFrame() + uptimeOffsetNanos) / 1e9,
                    t.total() / 1e6, ms(staged, t.committed() - t.end()), ms(staged, r.agentCalled() - t.end()), name(r.agentThread()),
                    ms(staged, r.ttsOpened() - t.end()), name(r.ttsThread()), ms(staged, r.flushed() - ready),
                    name(r.flushThread()), ms(staged, r.firstFrame() - r.flushed()), name(r.frameThread()));
        }
    }

    private static String ms(boolean known, long nanos) {
        return known ? String.format("%.2f", nanos / 1e6) : "-1";
    }

    private static String name(Thread t) {
        return t == null ? "?" : t.getName();
    }
}
