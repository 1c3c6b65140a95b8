package io.parley.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {

    /**
     * A lane parked until its next wake-up (here its idle bound of a second) is woken for a new
     * timer due sooner; timers due later, which it leaves to that wake-up, do not delay it.
     */
    @Test
    void aTimerDueBeforeTheLanesNextWakeUpRunsOnTime() throws Exception {
        Pacer pacer = new Pacer(1, r -> {
            Thread t = new Thread(r, "pacer-test");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch slowRan = new CountDownLatch(1);
        Clock.Cancellable slow = pacer.schedule(slowRan::countDown, TimeUnit.SECONDS.toNanos(30));
        // The lane has parked for up to its idle bound; a later timer must not need it sooner.
        Clock.Cancellable later = pacer.schedule(() -> { }, TimeUnit.SECONDS.toNanos(20));
        long start = System.nanoTime();
        AtomicLong firstRun = new AtomicLong();
        CountDownLatch fastRan = new CountDownLatch(3);
        Clock.Cancellable fast = pacer.schedule(() -> {
            firstRun.compareAndSet(0, System.nanoTime());
            fastRan.countDown();
        }, TimeUnit.MILLISECONDS.toNanos(20));

        assertThat(fastRan.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(firstRun.get() - start))
                .as("first run of a 20 ms timer, ms (the lane's idle wake-up is 1000 ms away)").isLessThan(600);
        assertThat(slowRan.getCount()).isEqualTo(1);
        slow.cancel();
        later.cancel();
        fast.cancel();
    }
}
