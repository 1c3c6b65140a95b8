package io.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

    @Test
    void timersRunInTimeOrderAsTimeAdvancesAndTiesKeepSubmissionOrder() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        clock.schedule(() -> log.add("b@" + clock.elapsed().toMillis()), 20, TimeUnit.MILLISECONDS);
        clock.schedule(() -> log.add("a@" + clock.elapsed().toMillis()), 10, TimeUnit.MILLISECONDS);
        clock.schedule(() -> log.add("c@" + clock.elapsed().toMillis()), 20, TimeUnit.MILLISECONDS);
        Clock.Cancellable d = clock.schedule(() -> log.add("d"), 15, TimeUnit.MILLISECONDS);
        d.cancel();

        clock.advance(Duration.ofMillis(15));
        assertThat(log).containsExactly("a@10");
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(15));
        clock.advance(Duration.ofMillis(100));
        assertThat(log).containsExactly("a@10", "b@20", "c@20");
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvance() {
        VirtualClock clock = new VirtualClock();
        List<Long> at = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            at.add(clock.elapsed().toMillis());
            if (at.size() < 5) {
                clock.schedule(tick[0], 20, TimeUnit.MILLISECONDS);
            }
        };
        clock.execute(tick[0]);
        clock.advance(Duration.ofSeconds(1));
        assertThat(at).containsExactly(0L, 20L, 40L, 60L, 80L);
    }

    @Test
    void executeRunsAtOnceButAfterTheRunningTask() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        clock.execute(() -> {
            clock.execute(() -> log.add("inner"));
            log.add("outer");
        });
        assertThat(log).containsExactly("outer", "inner");
    }

    @Test
    void aTaskCannotMoveTime() {
        VirtualClock clock = new VirtualClock();
        assertThatThrownBy(() -> clock.execute(() -> clock.advance(Duration.ofMillis(1))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void advanceUntilStopsWhenTheConditionHolds() {
        VirtualClock clock = new VirtualClock();
        boolean[] fired = new boolean[1];
        clock.schedule(() -> fired[0] = true, 730, TimeUnit.MILLISECONDS);
        assertThat(clock.advanceUntil(() -> fired[0], Duration.ofMillis(100), Duration.ofSeconds(5))).isTrue();
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(800));
        assertThat(clock.advanceUntil(() -> false, Duration.ofMillis(100), Duration.ofSeconds(1))).isFalse();
    }
}
