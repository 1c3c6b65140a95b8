package io.parley.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The production clock's timers hand their work to a session's loop without waking another thread. */
class SystemClockTest {

    @Test
    void aTimerRunsTheLoopTaskItHandsOverOnItsOwnThreadAndWhatThatHandsOnGoesToThePool() throws Exception {
        Clock clock = Clock.system();
        List<Throwable> failures = new ArrayList<>();
        SerialExecutor loop = new SerialExecutor(clock::execute, failures::add);
        SerialExecutor other = new SerialExecutor(clock::execute, failures::add);
        for (int i = 0; i < 5; i++) {
            AtomicBoolean ran = new AtomicBoolean();
            CompletableFuture<Boolean> ranBeforeTheTimerWentOn = new CompletableFuture<>();
            CompletableFuture<Boolean> handedOnRanElsewhere = new CompletableFuture<>();
            clock.schedule(() -> {
                Thread timer = Thread.currentThread();
                loop.execute(() -> {
                    ran.set(true);
                    // Posted from the inline run: queued on the pool, not run inside this task.
                    other.execute(() -> handedOnRanElsewhere.complete(!loop.inExecutor() || Thread.currentThread() != timer));
                });
                ranBeforeTheTimerWentOn.complete(ran.get());
            }, 1, TimeUnit.MILLISECONDS);
            assertThat(ranBeforeTheTimerWentOn.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(handedOnRanElsewhere.get(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A one-shot timer costs the scheduler's own task and one small object of the clock's, which
     * is both what runs and the handle: not a lambda to run, a lambda to cancel and the adapter
     * the scheduler wraps around a Runnable (56 bytes more per timer; a turn arms about 26).
     * Measured against a scheduler of the same kind given a Callable, so the bound does not
     * depend on the JVM's object layout.
     */
    @Test
    void aTimerAllocatesOneSmallObjectBesideTheSchedulersTask() {
        Clock clock = Clock.system();
        Runnable task = () -> { };
        java.util.concurrent.Callable<Void> call = () -> null;
        java.util.concurrent.ScheduledThreadPoolExecutor reference = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        reference.setRemoveOnCancelPolicy(true);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long perTimer = 0;
        long perTask = 0;
        for (int round = 0; round < 2; round++) {
            long t0 = mx.getThreadAllocatedBytes(self);
            for (int i = 0; i < 20_000; i++) {
                clock.schedule(task, 1, TimeUnit.HOURS).cancel();
            }
            long t1 = mx.getThreadAllocatedBytes(self);
            for (int i = 0; i < 20_000; i++) {
                reference.schedule(call, 1, TimeUnit.HOURS).cancel(false);
            }
            long t2 = mx.getThreadAllocatedBytes(self);
            perTimer = (t1 - t0) / 20_000;
            perTask = (t2 - t1) / 20_000;
        }
        reference.shutdownNow();
        assertThat(perTimer - perTask).as("bytes per timer (%d) beyond the scheduler's task (%d)", perTimer, perTask).isLessThanOrEqualTo(32);
    }
}
