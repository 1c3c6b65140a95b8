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
}
