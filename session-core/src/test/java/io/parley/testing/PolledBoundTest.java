package io.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on a chaos session's final {@code stop()}, on real threads: the sessions' clock (one
 * pool thread, 40 times real time) and one actor thread, wired as {@link ChaosSession} wires them.
 */
class PolledBoundTest {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** 10 s of session time had the clock's pool kept up: 250 ms of wall time. */
    private static final long POLLS = 100;

    private final ScaledClock clock = new ScaledClock(40, 1);
    private final ScheduledExecutorService actors = Executors.newSingleThreadScheduledExecutor();
    private final ChaosCalls.Steps steps = (nanos, r) -> clock.schedule(() -> actors.execute(r), nanos, TimeUnit.NANOSECONDS);
    private final PolledBound bound = new PolledBound(steps, POLL_NANOS, POLLS);

    @AfterEach
    void close() {
        actors.shutdownNow();
        clock.close();
    }

    /**
     * The process gets no CPU for 40 s of session time (four times the bound): the clock's pool
     * runs nothing, and the call's own work, starved as well, ends just after the pool resumes. A
     * bound of clock time would be spent when the pool resumes and report the call as hung; a
     * bound of polls has spent one poll.
     */
    @Test
    void aCallThatIsMerelyStarvedIsNotOverdue() throws Exception {
        CountDownLatch resume = new CountDownLatch(1);
        clock.execute(() -> {
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Void> returned = new CompletableFuture<>();
        AtomicBoolean overdue = new AtomicBoolean();
        CompletableFuture<Void> judged = new CompletableFuture<>();
        bound.watch(returned, () -> overdue.set(true));
        clock.sleep(Duration.ofSeconds(40));
        resume.countDown();
        // The call returns after the pool has run what was due while it was starved.
        steps.later(0, () -> returned.complete(null));
        steps.later(POLL_NANOS * POLLS * 2, () -> judged.complete(null));
        judged.get(10, TimeUnit.SECONDS);
        assertThat(returned).isDone();
        assertThat(overdue).as("a starved call reported as hung").isFalse();
    }

    /** A call that does not return while the clock's pool runs is overdue once the polls are spent. */
    @Test
    void aCallThatDoesNotReturnWhileThePoolRunsIsOverdue() throws Exception {
        CompletableFuture<Void> returned = new CompletableFuture<>();
        CompletableFuture<Void> overdue = new CompletableFuture<>();
        long wall0 = System.nanoTime();
        bound.watch(returned, () -> overdue.complete(null));
        overdue.get(10, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - wall0).as("at least the polls' session time").isGreaterThanOrEqualTo(clock.wallNanos(Duration.ofNanos(POLL_NANOS * POLLS)));
        assertThat(returned).isNotDone();
    }
}
