package io.parley.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One session's view of a shared {@link ScaledClock}: it remembers every timer that has
 * neither fired nor been cancelled, so a harness can tell whether {@code stop()} left one
 * behind, and it catches exceptions that would otherwise vanish into the thread pool.
 */
final class TrackingClock extends ForwardingClock {

    private final class Timer implements Runnable, Cancellable {
        final Runnable task;
        final long dueNanos;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile Cancellable inner;

        Timer(Runnable task, long dueNanos) {
            this.task = task;
            this.dueNanos = dueNanos;
        }

        @Override
        public void run() {
            if (settled.compareAndSet(false, true)) {
                pending.remove(this);
                guarded("timer", task);
            }
        }

        @Override
        public void cancel() {
            if (settled.compareAndSet(false, true)) {
                pending.remove(this);
            }
            Cancellable c = inner;
            if (c != null) {
                c.cancel();
            }
        }

        @Override
        public String toString() {
            return task.getClass().getName() + " due in " + (dueNanos - delegate().nanoTime()) / 1_000_000 + " ms";
        }
    }

    private final BiConsumer<String, Throwable> escaped;
    private final Set<Timer> pending = ConcurrentHashMap.newKeySet();
    /*
     * Work handed to the delegate's pools, for a report of what a stalled session waits for.
     * Loop tasks the session's executor runs on a thread already its own (a timer's, a
     * blocking task's end) do not pass through here.
     */
    private final AtomicLong loopQueued = new AtomicLong();
    private final AtomicLong loopRan = new AtomicLong();
    private final AtomicLong blockingQueued = new AtomicLong();
    private final AtomicLong blockingStarted = new AtomicLong();
    private final AtomicLong blockingEnded = new AtomicLong();

    TrackingClock(ScaledClock delegate, BiConsumer<String, Throwable> escaped) {
        super(delegate);
        this.escaped = escaped;
    }

    private void guarded(String where, Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            escaped.accept(where, t);
        }
    }

    @Override
    public void execute(Runnable task) {
        loopQueued.incrementAndGet();
        delegate().execute(() -> {
            loopRan.incrementAndGet();
            guarded("loop task", task);
        });
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        Timer t = new Timer(task, delegate().nanoTime() + unit.toNanos(delay));
        pending.add(t);
        t.inner = delegate().schedule(t, delay, unit);
        return t;
    }

    /** A repeating timer counts as pending until it is cancelled. */
    @Override
    public Cancellable scheduleRepeating(Runnable task, long period, TimeUnit unit) {
        Timer t = new Timer(task, delegate().nanoTime() + unit.toNanos(period));
        pending.add(t);
        Cancellable inner = delegate().scheduleRepeating(() -> {
            if (!t.settled.get()) {
                guarded("repeating timer", task);
            }
        }, period, unit);
        t.inner = inner;
        return t;
    }

    @Override
    public void executeBlocking(Runnable task) {
        blockingQueued.incrementAndGet();
        delegate().executeBlocking(() -> {
            blockingStarted.incrementAndGet();
            try {
                guarded("blocking task", task);
            } finally {
                blockingEnded.incrementAndGet();
            }
        });
    }

    /**
     * The session's work on the pools so far: tasks handed to the loop pool and started,
     * blocking tasks queued, started and ended, and timers pending. Handed over but not started:
     * the pool has not come round to it; started but not ended: a blocking call still runs.
     */
    String activity() {
        return String.format("tasks handed to the loop pool %d, started %d; blocking tasks queued %d, started %d, ended %d; %d timers pending",
                loopQueued.get(), loopRan.get(), blockingQueued.get(), blockingStarted.get(), blockingEnded.get(), pending.size());
    }

    /** Timers that have neither fired nor been cancelled. */
    List<String> pendingTimers() {
        List<String> out = new ArrayList<>();
        for (Timer t : pending) {
            out.add(t.toString());
        }
        return out;
    }
}
