package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The provider chain's retries on a clock whose timers may fire before schedule() returns (ENGINE-BUGS 20). */
class ProviderChainRetryTest {

    /** Every timer fires inside schedule(): what a loaded real clock does now and then, made certain. */
    private static final Clock EAGER = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
            task.run();
            return () -> { };
        }

        @Override
        public void executeBlocking(Runnable task) {
            task.run();
        }
    };

    @Test
    void aRetryWhoseTimerFiresBeforeScheduleReturnsStillRuns() {
        Object provider = new Object();
        SessionConfig config = SessionConfig.builder().maxRetries(2).breakerFailureThreshold(100).build();
        ProviderChain<Object> chain = new ProviderChain<>("tts", List.of(provider), p -> "eager", config, EAGER,
                new Telemetry(OpenTelemetry.noop()), Runnable::run);
        chain.activate();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<SessionException> error = new AtomicReference<>();

        chain.call("open", p -> {
            if (calls.incrementAndGet() < 3) {
                throw new SessionException(ErrorCode.PROVIDER_CONNECTION, "down");
            }
            return "open";
        }, new SerialExecutor(Runnable::run, t -> {
            throw new AssertionError(t);
        }), (res, err) -> {
            if (res != null) {
                value.set(res.value());
            }
            error.set(err);
        });

        assertThat(error.get()).isNull();
        assertThat(value.get()).isEqualTo("open");
        assertThat(calls.get()).isEqualTo(3);
    }
}
