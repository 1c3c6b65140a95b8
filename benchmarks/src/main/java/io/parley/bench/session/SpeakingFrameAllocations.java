package io.parley.bench.session;

import java.lang.management.ManagementFactory;

/**
 * Exactly what the session allocates per 20 ms frame while the agent speaks: the
 * {@link SpeakingFrameBenchmark} setting (single-threaded manual clock, so every task of the
 * session runs on this thread) driven frame by frame, with this thread's allocated-byte counter
 * read after every frame. JMH's {@code -prof gc} counts every thread of the JVM and averages
 * over iterations; this names the frames that allocated and how much, so a rare allocation
 * (a timer re-armed every few seconds) can be told from a one-off (a recompilation).
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.session.SpeakingFrameAllocations -Dbench.args="both 300000"}
 * (arguments: {@code inbound}, {@code outbound} or {@code both}; frames measured after 30,000 warm-up frames;
 * optionally the echo handling, as {@link SpeakingFrameBenchmark#echo}: {@code "inbound 300000 aec"}).
 */
public final class SpeakingFrameAllocations {

    private static final int WARMUP = 30_000;
    private static final int SHOWN = 40;

    private SpeakingFrameAllocations() {
    }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "both";
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        SpeakingFrameBenchmark b = new SpeakingFrameBenchmark();
        if (args.length > 2) {
            b.echo = args[2];
        }
        b.setUp();
        for (int i = 0; i < WARMUP; i++) {
            step(b, which);
        }
        // Recorded into arrays allocated before the measurement, so the count is the session's alone.
        int[] at = new int[SHOWN];
        long[] bytes = new long[SHOWN];
        int allocating = 0;
        long start = mx.getThreadAllocatedBytes(self);
        long prev = start;
        for (int i = 0; i < frames; i++) {
            step(b, which);
            long now = mx.getThreadAllocatedBytes(self);
            if (now != prev) {
                if (allocating < SHOWN) {
                    at[allocating] = i;
                    bytes[allocating] = now - prev;
                }
                allocating++;
            }
            prev = now;
        }
        long total = prev - start;
        b.tearDown();
        System.out.printf("%s: %d B in %d frames = %.4f B/frame; %d frames allocated%n",
                which, total, frames, total / (double) frames, allocating);
        StringBuilder list = new StringBuilder();
        for (int k = 0; k < Math.min(allocating, SHOWN); k++) {
            list.append(" frame ").append(at[k]).append(": ").append(bytes[k]).append(" B;");
        }
        System.out.println(list);
        System.exit(0);
    }

    private static void step(SpeakingFrameBenchmark b, String which) {
        switch (which) {
            case "inbound" -> b.inbound();
            case "outbound" -> b.outbound();
            case "both" -> b.both();
            default -> throw new IllegalArgumentException("inbound, outbound or both, not " + which);
        }
    }
}
