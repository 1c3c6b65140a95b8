package io.parley.bench.session;

import io.parley.audio.AudioFrame;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One pacing thread that feeds many simulated callers their 20 ms frames at real-time pace,
 * the way one transport thread serves many connections. Callers' frames arrive spread over
 * the 20 ms period, as from independent phones: each caller has a fixed slot of
 * {@link #SLOT_NANOS} within the period, and the thread wakes once per slot and delivers every
 * frame due in it, one after another, into pre-allocated frames.
 *
 * <p>It never skips or drops a frame: when it falls behind, later frames are simply late, and
 * the lateness shows. Each frame's lateness is split where the driver hands it to the session:
 * <ul>
 *   <li>driver lateness: hand-off minus due time, how far the driver was behind its schedule
 *       (woken late by the OS, or still busy with the frames before it in the slot);</li>
 *   <li>engine lateness: return from the session minus hand-off, the session's own inbound
 *       time for that frame, including any time the OS took the core away meanwhile;</li>
 *   <li>total: return minus due, what a transport thread serving these calls would see.</li>
 * </ul>
 * It also times its own part (filling frames, recording) apart from the time spent inside the
 * sessions, so the harness's cost can be told from the engine's.
 */
final class LoadDriver implements Runnable {

    static final long PERIOD_NANOS = 20_000_000L;
    static final int SLOTS = 20;
    static final long SLOT_NANOS = PERIOD_NANOS / SLOTS;

    private final LoadHarness.Caller[] callers;
    /**
     * The one frame every caller's audio is filled into and delivered in, in turn, as a
     * transport thread decodes each packet into a buffer of its own and hands it on: the
     * session finds it freshly written. A frame per caller is written and read cold: its
     * previous use was a thousand sessions ago.
     */
    private final AudioFrame frame = AudioFrame.allocate(LoadHarness.FORMAT, LoadHarness.FRAME);
    /** Index of the first caller of each slot in {@link #callers}; one more entry for the end. */
    private final int[] slotStart = new int[SLOTS + 1];
    private final long originNanos;
    private final Recorder lateness = new Recorder();
    /** Total lateness by the phase of a {@link PriorityPhases} comparison (the last: after the window) the frame was due in. */
    private final Recorder[] latenessByPhase = {new Recorder(), new Recorder(), new Recorder()};
    private volatile java.util.function.IntSupplier phase = () -> 0;
    private final Recorder driverLateness = new Recorder();
    private final Recorder engineLateness = new Recorder();
    /** How late the driver woke for each slot, before any frame of it. */
    private final Recorder wakeLateness = new Recorder();
    /** The slots it woke late for, with their due times. */
    private final LateSlots lateSlots = new LateSlots();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean startWindow;
    private volatile long skippedFrames;
    private volatile long behindNanos;
    /** Written by the driver thread only. */
    private volatile long harnessNanos;
    private volatile long sessionNanos;
    private volatile long frames;

    /**
     * @param mine   the callers this thread feeds, each with its {@link LoadHarness.Caller#slot}
     * @param origin when slot 0 of the first period is due
     * @param priority the thread's Java priority, as a transport may give its I/O threads
     */
    LoadDriver(String name, List<LoadHarness.Caller> mine, long origin, int priority) {
        callers = mine.stream()
                .sorted((a, b) -> Integer.compare(a.slot, b.slot))
                .toArray(LoadHarness.Caller[]::new);
        int i = 0;
        for (int s = 0; s < SLOTS; s++) {
            slotStart[s] = i;
            while (i < callers.length && callers[i].slot == s) {
                i++;
            }
        }
        slotStart[SLOTS] = callers.length;
        originNanos = origin;
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.setPriority(priority);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(5000);
    }

    void setPriority(int priority) {
        thread.setPriority(priority);
    }

    /** Where the phase of a {@link PriorityPhases} comparison is read from. */
    void phases(java.util.function.IntSupplier phase) {
        this.phase = phase;
    }

    /** Return from the session minus due time, per frame, for frames due in phase {@code p}. */
    Recorder latenessInPhase(int p) {
        return latenessByPhase[p];
    }

    long threadId() {
        return thread.getId();
    }

    /** Return from the session minus due time, per frame. */
    Recorder lateness() {
        return lateness;
    }

    /** Hand-off to the session minus due time, per frame. */
    Recorder driverLateness() {
        return driverLateness;
    }

    /** Return from the session minus hand-off, per frame. */
    Recorder engineLateness() {
        return engineLateness;
    }

    /** Wake-up minus due time, per slot. */
    Recorder wakeLateness() {
        return wakeLateness;
    }

    /** The slots of the window the driver woke late for. */
    LateSlots lateSlots() {
        return lateSlots;
    }

    /**
     * Asks the driver to start a fresh measurement at its next period: frames it is still
     * behind on from the warm-up (while the JIT compiled the engine) are skipped, not sent late
     * into the window, and its lateness recorders start again. Returns at once; see
     * {@link #windowStarted()}.
     */
    void startWindow() {
        startWindow = true;
    }

    /** Whether the window asked for by {@link #startWindow()} has begun. */
    boolean windowStarted() {
        return !startWindow;
    }

    /** Frames skipped when the window started, because the driver was that far behind. */
    long skippedFrames() {
        return skippedFrames;
    }

    /** How late the driver woke for its latest slot, in nanoseconds. */
    long behindNanos() {
        return behindNanos;
    }

    /** Wall time spent filling frames and recording, outside the sessions. */
    long harnessNanos() {
        return harnessNanos;
    }

    /** Wall time spent inside the sessions' {@code onAudio}: the engine's inbound path. */
    long sessionNanos() {
        return sessionNanos;
    }

    long frames() {
        return frames;
    }

    @Override
    public void run() {
        for (long period = 0; running; period++) {
            if (startWindow) {
                // Zero the recorders first and pick the window's first period after: zeroing seven
                // 100,001-bucket recorders runs once, uncompiled, for tens of milliseconds on this
                // thread, and picked before it, the window's first slots were late by the harness's
                // own bookkeeping (the worst stall of most quiet runs, with no collector pause).
                lateness.reset();
                for (Recorder r : latenessByPhase) {
                    r.reset();
                }
                driverLateness.reset();
                engineLateness.reset();
                wakeLateness.reset();
                lateSlots.reset();
                long now = System.nanoTime();
                long current = Math.max(period, (now - originNanos) / PERIOD_NANOS + 1);
                skippedFrames = (current - period) * callers.length;
                period = current;
                startWindow = false;
            }
            for (int s = 0; s < SLOTS && running; s++) {
                long due = originNanos + period * PERIOD_NANOS + s * SLOT_NANOS;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
                slot(s, due);
            }
        }
    }

    /**
     * Delivers the frames of slot {@code s}, due at {@code due}. A method of its own, not part
     * of {@link #run()}'s loop: the JIT compiles a long-running loop on the stack (on-stack
     * replacement) with everything it calls inlined, so the window's start, the one branch
     * {@code run()} had never taken, sent the whole delivery of every session back to the
     * interpreter until it was compiled again, just as the window began. Now only
     * {@code run()}'s outer loop is interpreted meanwhile, calling this method's own compiled
     * code.
     */
    private void slot(int s, long due) {
        long t = System.nanoTime();
        wakeLateness.addFromOwner(t - due);
        lateSlots.add(due, t - due);
        behindNanos = t - due;
        long harness = 0;
        long session = 0;
        Recorder byPhase = latenessByPhase[phase.getAsInt()];
        for (int i = slotStart[s]; i < slotStart[s + 1]; i++) {
            LoadHarness.Caller c = callers[i];
            c.fill(frame, due);
            long filled = System.nanoTime();
            c.deliver(frame);
            long done = System.nanoTime();
            lateness.addFromOwner(done - due);
            byPhase.addFromOwner(done - due);
            driverLateness.addFromOwner(filled - due);
            engineLateness.addFromOwner(done - filled);
            harness += filled - t;
            session += done - filled;
            t = done;
        }
        // Written by this thread only; the volatile writes publish the totals to the harness.
        harnessNanos += harness;
        sessionNanos += session;
        frames += slotStart[s + 1] - slotStart[s];
    }
}
