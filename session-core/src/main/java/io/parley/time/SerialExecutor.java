package io.parley.time;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the "event loop" of
 * one session without a thread of its own. Many serial executors share a small pool.
 *
 * <p>A task that throws does not stop the executor; the failure goes to the handler given
 * at construction.
 */
public final class SerialExecutor implements Executor {

    /** Tasks run per turn on the shared pool before yielding it to other sessions. */
    private static final int BATCH = 64;

    private final Executor target;
    private final Consumer<Throwable> onFailure;
    private final Runnable onEnter;
    private final Runnable onExit;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile Signal[] signals = new Signal[0];
    private final AtomicInteger pending = new AtomicInteger();
    /**
     * A batch was handed to the pool and has not started: whoever takes this token runs it, the
     * pool thread when it gets there or {@link #executeHere} before it.
     */
    private final AtomicBoolean handedOver = new AtomicBoolean();
    private final Runnable drain = this::drainHandedOver;
    private volatile Thread runner;

    /**
     * @param target    where batches of tasks run
     * @param onFailure receives what a task throws
     */
    public SerialExecutor(Executor target, Consumer<Throwable> onFailure) {
        this(target, onFailure, () -> { }, () -> { });
    }

    /**
     * @param onEnter runs on the pool thread before each batch (e.g. to set a logging MDC)
     * @param onExit  runs after each batch
     */
    public SerialExecutor(Executor target, Consumer<Throwable> onFailure, Runnable onEnter, Runnable onExit) {
        this.target = Objects.requireNonNull(target, "target");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.onEnter = Objects.requireNonNull(onEnter, "onEnter");
        this.onExit = Objects.requireNonNull(onExit, "onExit");
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
        if (pending.getAndIncrement() == 0) {
            handOver();
        }
    }

    /**
     * Like {@link #execute}, but when the executor is idle, or its next batch waits for a pool
     * thread, that batch runs on the calling thread instead (the pool thread, when it gets there,
     * finds nothing to do). Made for the end of blocking work whose result the
     * session awaits (a provider opened, the agent answered): handing that result back to an idle
     * loop would cost a pool thread's wake-up, on a busy machine also a wait for a CPU, on the
     * path from the end of a turn to the reply's first audio; so would waiting behind other
     * sessions' work on the pool for a batch already handed over. Call it only from a thread that
     * holds no locks and has nothing left to do but this (the batch runs the session's code and
     * may call providers and the transport) and that may run this executor's tasks.
     */
    public void executeHere(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
        if (pending.getAndIncrement() == 0 || handedOver.compareAndSet(true, false)) {
            drain();
        }
    }

    /**
     * A task that can be requested again and again without allocating: firing the returned
     * runnable queues {@code task} unless it is already queued. Made for timers on the pool
     * this executor runs on (audio pacing): when the executor is idle, firing runs the task
     * right away on the firing thread, so nothing is handed to the pool either. Fire it only
     * from threads that may run this executor's tasks.
     */
    public Runnable signal(Runnable task) {
        Signal s = new Signal(Objects.requireNonNull(task, "task"));
        synchronized (this) {
            Signal[] now = signals;
            Signal[] more = java.util.Arrays.copyOf(now, now.length + 1);
            more[now.length] = s;
            signals = more;
        }
        return s;
    }

    /** True if the calling thread is running one of this executor's tasks. */
    public boolean inExecutor() {
        return runner == Thread.currentThread();
    }

    private void handOver() {
        handedOver.set(true);
        target.execute(drain);
    }

    /** A batch handed to the pool starts, unless {@link #executeHere} ran it already. */
    private void drainHandedOver() {
        if (handedOver.compareAndSet(true, false)) {
            drain();
        }
    }

    private void drain() {
        runner = Thread.currentThread();
        onEnter.run();
        for (int ran = 1; ; ran++) {
            Runnable task = next();
            try {
                if (task != null) {
                    task.run();
                }
            } catch (Throwable t) {
                onFailure.accept(t);
            }
            // Only this thread decrements, so more than one pending task stays more than none.
            if (ran < BATCH && pending.get() > 1) {
                pending.decrementAndGet();
                continue;
            }
            // The batch ends. Its exit hook runs while this thread still owns the executor: once
            // the count reaches zero, a task queued on another thread starts a batch of its own
            // at once, which must not overlap this one's end (nor have its ownership cleared).
            try {
                onExit.run();
            } finally {
                runner = null;
            }
            if (pending.decrementAndGet() == 0) {
                return;
            }
            // More work is queued: yield the pool thread and continue in a fresh batch.
            handOver();
            return;
        }
    }

    /** A fired signal first, else the oldest task; null only if a signal ran before it was counted. */
    private Runnable next() {
        for (Signal s : signals) {
            if (s.armed && s.disarm()) {
                return s.task;
            }
        }
        return tasks.poll();
    }

    /** A reusable request to run one task. */
    private final class Signal implements Runnable {
        final Runnable task;
        volatile boolean armed;

        Signal(Runnable task) {
            this.task = task;
        }

        boolean disarm() {
            return ARMED.compareAndSet(this, true, false);
        }

        @Override
        public void run() {
            if (!ARMED.compareAndSet(this, false, true)) {
                return;
            }
            if (pending.getAndIncrement() == 0) {
                drain();
            }
        }
    }

    private static final java.lang.invoke.VarHandle ARMED;

    static {
        try {
            ARMED = java.lang.invoke.MethodHandles.lookup().findVarHandle(Signal.class, "armed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
