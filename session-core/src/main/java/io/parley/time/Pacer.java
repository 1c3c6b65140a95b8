package io.parley.time;

import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeating timers that allocate nothing per run, for audio pacing: a few lanes, each a
 * thread that parks until its earliest timer is due and runs what is due. A scheduled
 * executor would allocate a wait node every time a worker sleeps, i.e. on every 20 ms tick.
 * Lanes belong to the loop pool: what they run must be short and must not block. A run that
 * falls behind is not repeated to catch up; the next one is one period later.
 *
 * <p>A lane runs every timer due within a quarter of its period, at most {@link #EARLY_NANOS},
 * when it wakes, so it wakes about once per 5 ms however many 20 ms timers it holds (thousands
 * of sessions have their ticks at scattered phases; waking for each would cost a context switch
 * and a scan of every timer per tick). A run is thus up to that much early, never late by it;
 * its schedule does not drift, since the next run is due one period after the nominal time.
 * Audio pacing keeps a lead of playout far longer than that (100 ms by default), so an early
 * tick only tops it up sooner. With a 1 ms window the lanes together woke about 1,500 times a
 * second at 2,000 sessions (the load harness); with this one, about 360.
 */
final class Pacer {

    private static final Logger log = LoggerFactory.getLogger(Pacer.class);
    private static final long IDLE_NANOS = 1_000_000_000L;
    /** The most a run is early; a timer's own window is a quarter of its period, up to this. */
    static final long EARLY_NANOS = 5_000_000L;

    private final Lane[] lanes;
    private final AtomicInteger next = new AtomicInteger();

    Pacer(int lanes, ThreadFactory threads) {
        this.lanes = new Lane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane(threads);
        }
    }

    Clock.Cancellable schedule(Runnable task, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        return lanes[Math.floorMod(next.getAndIncrement(), lanes.length)].add(task, periodNanos);
    }

    private static final class Entry implements Clock.Cancellable {
        final Runnable task;
        final long periodNanos;
        /** How early a run may be: its lane runs it when it wakes this close to the due time. */
        final long earlyNanos;
        final Lane lane;
        long dueNanos;

        Entry(Runnable task, long periodNanos, Lane lane) {
            this.task = task;
            this.periodNanos = periodNanos;
            this.earlyNanos = Math.min(EARLY_NANOS, periodNanos / 4);
            this.lane = lane;
            this.dueNanos = System.nanoTime() + periodNanos;
        }

        @Override
        public void cancel() {
            lane.remove(this);
        }
    }

    private static final class Lane implements Runnable {
        private final ThreadFactory threads;
        private volatile Entry[] entries = new Entry[0];
        /**
         * When the lane's thread will wake by itself: a timer due after that needs no wake-up
         * (which would cost a context switch, on a busy machine just before a reply's first audio).
         */
        private volatile long wakeAt;
        private Thread thread;

        Lane(ThreadFactory threads) {
            this.threads = threads;
        }

        synchronized Entry add(Runnable task, long periodNanos) {
            Entry e = new Entry(task, periodNanos, this);
            Entry[] now = entries;
            Entry[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = e;
            entries = more;
            if (thread == null) {
                thread = threads.newThread(this);
                thread.start();
            } else if (e.dueNanos - wakeAt < 0) {
                // Read after the entries were published: either the thread sees the new timer
                // when it looks at the entries again before parking, or its wake time is read here.
                LockSupport.unpark(thread);
            }
            return e;
        }

        synchronized void remove(Entry e) {
            Entry[] now = entries;
            for (int i = 0; i < now.length; i++) {
                if (now[i] == e) {
                    Entry[] less = new Entry[now.length - 1];
                    System.arraycopy(now, 0, less, 0, i);
                    System.arraycopy(now, i + 1, less, i, now.length - i - 1);
                    entries = less;
                    return;
                }
            }
        }

        @Override
        public void run() {
            while (true) {
                Entry[] es = entries;
                long now = System.nanoTime();
                long nextDue = now + IDLE_NANOS;
                for (Entry e : es) {
                    if (e.dueNanos - e.earlyNanos - now <= 0) {
                        e.dueNanos += e.periodNanos;
                        if (e.dueNanos - now <= 0) {
                            e.dueNanos = now + e.periodNanos;
                        }
                        try {
                            e.task.run();
                        } catch (Throwable t) {
                            log.error("paced task failed", t);
                        }
                    }
                    if (e.dueNanos - nextDue < 0) {
                        nextDue = e.dueNanos;
                    }
                }
                wakeAt = nextDue;
                if (entries != es) {
                    // A timer came or went during the scan; add() may have seen the old wake time.
                    continue;
                }
                long wait = nextDue - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
        }
    }
}
