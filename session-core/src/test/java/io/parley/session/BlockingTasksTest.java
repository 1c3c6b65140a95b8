package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockingTasksTest {

    @Test
    void thePoolThreadThatStartsFirstRunsEveryTaskStillWaitingAndTheOthersFindNone() {
        List<Runnable> threadsAskedFor = new ArrayList<>();
        BlockingTasks tasks = new BlockingTasks(threadsAskedFor::add);
        List<String> ran = new ArrayList<>();
        tasks.execute(() -> ran.add("open"));
        tasks.execute(() -> ran.add("agent"));

        assertThat(threadsAskedFor).hasSize(2);
        threadsAskedFor.get(1).run();
        assertThat(ran).containsExactly("open", "agent");
        threadsAskedFor.get(0).run();
        assertThat(ran).containsExactly("open", "agent");
    }

    @Test
    void aTaskThatBlocksHoldsUpNoOther() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            BlockingTasks tasks = new BlockingTasks(pool);
            CountDownLatch secondRan = new CountDownLatch(1);
            CountDownLatch firstDone = new CountDownLatch(1);
            tasks.execute(() -> {
                try {
                    // Blocks until the task queued behind it has run on another thread.
                    if (secondRan.await(10, TimeUnit.SECONDS)) {
                        firstDone.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            tasks.execute(secondRan::countDown);
            assertThat(firstDone.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
