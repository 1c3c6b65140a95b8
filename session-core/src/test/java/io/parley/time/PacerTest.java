package io.parley.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Twenty 20-39 ms timers, their runs spread over the milliseconds: the lane wakes for
     * several runs at a time, not once per millisecond (which at 2,000 sessions was about
     * 1,000 wake-ups a second per lane). Counted as the times the lane went back to waiting
     * while 600 runs went by.
     */
    @Test
    void aLaneWakesOncePerFewMillisecondsForManyTimersAtScatteredPhases() throws Exception {
        AtomicReference<Thread> lane = new AtomicReference<>();
        Pacer pacer = new Pacer(1, r -> {
            Thread t = new Thread(r, "pacer-test");
            t.setDaemon(true);
            lane.set(t);
            return t;
        });
        CountDownLatch runs = new CountDownLatch(600);
        List<Clock.Cancellable> timers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            timers.add(pacer.schedule(runs::countDown, TimeUnit.MILLISECONDS.toNanos(20 + i)));
        }
        long id = lane.get().getId();
        long waitsBefore = ManagementFactory.getThreadMXBean().getThreadInfo(id).getWaitedCount();
        long start = System.nanoTime();
        assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
        long waits = ManagementFactory.getThreadMXBean().getThreadInfo(id).getWaitedCount() - waitsBefore;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        timers.forEach(Clock.Cancellable::cancel);
        // At most one wake-up per 5 ms (about one per 7 ms here); with the 1 ms window it was one per 3 ms.
        assertThat(waits).as("wake-ups in %d ms", millis).isLessThanOrEqualTo(millis / 5);
    }
}
