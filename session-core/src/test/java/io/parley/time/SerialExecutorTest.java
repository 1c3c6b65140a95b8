package io.parley.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
}
