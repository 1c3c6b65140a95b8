package io.parley.bench.session;

import io.parley.audio.AudioFrame;
import io.parley.testing.ManualClock;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;

/**
 * Exactly what {@link LoadHarness} callers allocate per turn: their sessions (the real default
 * pipeline), fake recognizers and synthesizers and listeners, on a single-threaded
 * {@link ManualClock}, so every task, timer, listener call and provider answer runs on this
 * thread and this thread's allocated-byte counter is the whole cost. Each caller speaks 1.5 s
 * of a real recording every 6 s, phases spread over the cycle, as in the harness, and is
 * answered after the recognizer's realistic delays; each 6 s cycle is one turn per caller.
 * Several callers keep each conversation's history as short as in a harness run; one caller over
 * many cycles shows what a long call's turns cost.
 *
 * <p>The clock itself allocates a small handle per one-shot timer; the production clock
 * allocates more per timer and per hand-off (its JDK pools), which this does not count. Run it
 * with a profiler (JFR, small fixed TLABs) to see the allocation sites.
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.session.TurnAllocations -Dbench.args="100 10 20"}
 * (arguments: callers, cycles measured, warm-up cycles).
 */
public final class TurnAllocations {

    private static final long FRAME_NANOS = 20_000_000L;
    private static final int FRAMES_PER_CYCLE = 300;

    private TurnAllocations() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        ManualClock clock = new ManualClock();
        short[] speech = LoadHarness.speech();
        short[] noise = LoadHarness.noise();
        LoadHarness.Caller[] callers = new LoadHarness.Caller[count];
        CompletableFuture<?>[] started = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            callers[i] = new LoadHarness.Caller(i, count, clock, speech, noise, false, true, 0, new LoadTransport(clock));
            started[i] = callers[i].session.startAsync();
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(started);
        for (int i = 0; i < 100 && !all.isDone(); i++) {
            clock.advance(FRAME_NANOS);
        }
        all.join();
        AudioFrame frame = AudioFrame.allocate(LoadHarness.FORMAT, LoadHarness.FRAME);
        run(clock, callers, frame, warmup);
        long turnsBefore = turns(callers);
        long schedules = clock.schedules();
        long executes = clock.executes();
        long blocking = clock.blockingCalls();
        long before = mx.getThreadAllocatedBytes(self);
        run(clock, callers, frame, cycles);
        long bytes = mx.getThreadAllocatedBytes(self) - before;
        long answered = turns(callers) - turnsBefore;
        long errors = 0;
        long interrupted = 0;
        for (LoadHarness.Caller c : callers) {
            errors += c.errors.get();
            interrupted += c.interrupted.get();
        }
        double n = Math.max(1, answered);
        System.out.printf("%d callers, %d turns answered in %d cycles of 6 s (after %d warm-up cycles): %d B, %.0f B per turn; "
                        + "clock calls per turn: %.1f schedule, %.1f execute, %.1f executeBlocking; errors %d, replies interrupted %d%n",
                count, answered, cycles, warmup, bytes, bytes / n, (clock.schedules() - schedules) / n,
                (clock.executes() - executes) / n, (clock.blockingCalls() - blocking) / n, errors, interrupted);
        System.exit(0);
    }

    private static long turns(LoadHarness.Caller[] callers) {
        long t = 0;
        for (LoadHarness.Caller c : callers) {
            t += c.turns.get();
        }
        return t;
    }

    /** {@code cycles} of 6 s: every 20 ms each caller's frame, then the clock moves on. */
    private static void run(ManualClock clock, LoadHarness.Caller[] callers, AudioFrame frame, int cycles) {
        for (int i = 0; i < cycles * FRAMES_PER_CYCLE; i++) {
            long due = clock.nanoTime();
            for (LoadHarness.Caller c : callers) {
                c.fill(frame, due);
                c.deliver(frame);
            }
            clock.advance(FRAME_NANOS);
        }
    }
}
