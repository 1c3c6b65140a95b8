package io.parley.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void tasksFromManyThreadsRunOneAtATimeInSubmissionOrderPerThread() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Throwable> failures = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(pool, failures::add);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        int[] lastSeen = new int[4];
        boolean[] outOfOrder = new boolean[1];
        CountDownLatch done = new CountDownLatch(4 * 10_000);
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        for (int s = 0; s < 4; s++) {
            int submitter = s;
            submitters.execute(() -> {
                for (int i = 1; i <= 10_000; i++) {
                    int n = i;
                    serial.execute(() -> {
                        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        if (lastSeen[submitter] != n - 1) {
                            outOfOrder[0] = true;
                        }
                        lastSeen[submitter] = n;
                        running.decrementAndGet();
                        done.countDown();
                    });
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(maxRunning.get()).isEqualTo(1);
        assertThat(outOfOrder[0]).isFalse();
        assertThat(failures).isEmpty();
        submitters.shutdownNow();
        pool.shutdownNow();
    }

    /**
     * A batch handed to the pool that has not started yet is run by {@code executeHere} rather
     * than waited for (the pool's threads may all be busy with other sessions).
     */
    @Test
    void executeHereRunsABatchStillWaitingForAPoolThreadAndThePoolThreadThenFindsNothing() {
        List<Runnable> handedToPool = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(handedToPool::add, failures::add);
        List<String> ran = new ArrayList<>();
        serial.execute(() -> ran.add("queued"));
        assertThat(handedToPool).hasSize(1);

        serial.executeHere(() -> ran.add("here"));
        assertThat(ran).containsExactly("queued", "here");
        handedToPool.get(0).run();
        assertThat(ran).containsExactly("queued", "here");

        serial.execute(() -> ran.add("later"));
        assertThat(handedToPool).hasSize(2);
        handedToPool.get(1).run();
        assertThat(ran).containsExactly("queued", "here", "later");
        assertThat(failures).isEmpty();
    }

    @Test
    void aFailingTaskIsReportedAndDoesNotStopTheExecutor() {
        List<Throwable> failures = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(Runnable::run, failures::add);
        List<String> ran = new ArrayList<>();
        serial.execute(() -> {
            throw new IllegalStateException("boom");
        });
        serial.execute(() -> ran.add("next"));
        assertThat(failures).singleElement().satisfies(t -> assertThat(t).hasMessage("boom"));
        assertThat(ran).containsExactly("next");
    }

    /**
     * A session's batch-end hook releases the listener events its batch emitted: a task queued
     * while it ran started a second batch on another pool thread, which then emitted past the
     * held events and cleared the first thread's ownership (chaos soak seed 9156741837509235732,
     * session 2050: onUserSpeech "ended" delivered before its "started").
     */
    @Test
    void theBatchEndHookNeverOverlapsTheNextBatch() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean exiting = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger notOwner = new AtomicInteger();
        SerialExecutor[] serial = new SerialExecutor[1];
        serial[0] = new SerialExecutor(pool, t -> { }, () -> { }, () -> {
            exiting.set(true);
            spin(20_000);
            exiting.set(false);
        });
        int tasks = 20_000;
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            serial[0].execute(() -> {
                if (exiting.get()) {
                    overlaps.incrementAndGet();
                }
                if (!serial[0].inExecutor()) {
                    notOwner.incrementAndGet();
                }
                done.countDown();
            });
            spin(i % 7 == 0 ? 30_000 : 0);
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(overlaps).as("tasks run while the previous batch's end hook ran").hasValue(0);
        assertThat(notOwner).as("tasks run while the executor did not know it ran them").hasValue(0);
    }

    /**
     * A blocking thread hands its result back with {@code executeHere}: on an idle executor it
     * runs at once on that thread (no pool thread is woken); on a busy one it waits its turn, and
     * tasks handed in either way from many threads still run one at a time, in order.
     */
    @Test
    void executeHereRunsOnTheCallingThreadWhenIdleAndInTurnWhenBusy() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger handedToPool = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(r -> {
            handedToPool.incrementAndGet();
            pool.execute(r);
        }, failures::add);
        Thread[] ranOn = new Thread[1];
        serial.executeHere(() -> ranOn[0] = Thread.currentThread());
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
        assertThat(handedToPool).hasValue(0);

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch after = new CountDownLatch(1);
        serial.execute(() -> {
            inside.countDown();
            await(release);
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        serial.executeHere(() -> {
            ranOn[0] = Thread.currentThread();
            after.countDown();
        });
        assertThat(after.getCount()).as("queued behind the running task, not run over it").isEqualTo(1);
        release.countDown();
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn[0]).isNotSameAs(Thread.currentThread());

        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        int[] lastSeen = new int[4];
        AtomicBoolean outOfOrder = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(4 * 5_000);
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int submitter = t;
            submitters.execute(() -> {
                for (int i = 1; i <= 5_000; i++) {
                    int n = i;
                    Runnable task = () -> {
                        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        outOfOrder.compareAndSet(false, lastSeen[submitter] != n - 1);
                        lastSeen[submitter] = n;
                        running.decrementAndGet();
                        done.countDown();
                    };
                    if (i % 2 == 0) {
                        serial.executeHere(task);
                    } else {
                        serial.execute(task);
                    }
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(maxRunning).hasValue(1);
        assertThat(outOfOrder).isFalse();
        assertThat(failures).isEmpty();
        submitters.shutdownNow();
        pool.shutdownNow();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
