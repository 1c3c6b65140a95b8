package io.parley.session;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * One session's blocking work (provider opens and closes, the agent) on the clock's blocking
 * pool, shared among the pool threads it wakes. Every task still asks the pool for a thread of
 * its own, so a task that blocks holds up no other; but a pool thread takes the session's
 * oldest waiting task, whichever task woke it, and keeps taking them until none waits.
 *
 * <p>Why: a committed turn hands the agent's call and the synthesizer's open to the pool at
 * once. Run on a thread each, the reply's first audio waited for the later of two wake-ups,
 * and on a busy machine each is a wait for a CPU; shared, instant ones both run on the first
 * thread that gets a CPU, while slow ones still run side by side.
 */
final class BlockingTasks implements Executor {

    private final Executor pool;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final Runnable worker = this::work;

    /** @param pool where the threads come from, one asked for per task */
    BlockingTasks(Executor pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public void execute(Runnable task) {
        waiting.add(Objects.requireNonNull(task, "task"));
        pool.execute(worker);
    }

    /**
     * Runs waiting tasks until none is left. A task that throws ends this thread's share; the
     * tasks after it still have pool threads of their own coming.
     */
    private void work() {
        for (Runnable task; (task = waiting.poll()) != null; ) {
            task.run();
        }
    }
}
