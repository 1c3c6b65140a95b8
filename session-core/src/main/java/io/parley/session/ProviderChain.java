package io.parley.session;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.parley.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A primary provider and its fallbacks, each behind a circuit breaker, with retries and
 * exponential backoff for calls through them. Retry timing runs on the session {@link Clock}
 * (virtual in tests) through resilience4j's asynchronous retry context.
 *
 * @param <P> provider type
 */
final class ProviderChain<P> {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProviderChain.class);

    /** A successful call: its value and which provider produced it. */
    record Result<T>(T value, int index, String provider) {
    }

    private final String kind;
    private final List<P> providers;
    private final List<String> names;
    private final List<CircuitBreaker> breakers = new ArrayList<>();
    private final Retry retry;
    private final Clock clock;
    private final Telemetry telemetry;

    ProviderChain(String kind, List<P> providers, Function<P, String> name, SessionConfig config, Clock clock,
                  Telemetry telemetry) {
        this.kind = kind;
        this.providers = List.copyOf(providers);
        this.names = this.providers.stream().map(name).toList();
        this.clock = clock;
        this.telemetry = telemetry;
        CircuitBreakerConfig cbConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.breakerFailureThreshold())
                .minimumNumberOfCalls(config.breakerFailureThreshold())
                .failureRateThreshold(100f)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(config.breakerOpenDuration())
                .build();
        java.time.Clock breakerClock = new BreakerClock(clock);
        for (String n : names) {
            // The state machine constructor is the one way to give a breaker our clock, which
            // keeps open-to-half-open timing testable in virtual time.
            breakers.add(new CircuitBreakerStateMachine(kind + ":" + n, cbConfig, breakerClock));
        }
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(config.maxRetries() + 1)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(config.retryDelay(), 2.0))
                .retryOnException(e -> e instanceof SessionException se && se.retryable())
                .failAfterMaxAttempts(false)
                .build();
        this.retry = Retry.of(kind, retryConfig);
    }

    String name(int index) {
        return names.get(index);
    }

    P provider(int index) {
        return providers.get(index);
    }

    int size() {
        return providers.size();
    }

    CircuitBreaker.State breakerState(int index) {
        return breakers.get(index).getState();
    }

    /**
     * Calls {@code op} on the best available provider, off the event loop, retrying with
     * backoff across providers as breakers open. {@code done} runs on {@code loop} with the
     * result or the final error.
     */
    <T> void call(String operation, Function<P, T> op, Executor loop, BiConsumer<Result<T>, SessionException> done) {
        Retry.AsyncContext<Object> ctx = retry.asyncContext();
        attempt(operation, op, loop, done, ctx);
    }

    private <T> void attempt(String operation, Function<P, T> op, Executor loop,
                             BiConsumer<Result<T>, SessionException> done, Retry.AsyncContext<Object> ctx) {
        int index = acquire();
        if (index < 0) {
            SessionException unavailable = new SessionException(ErrorCode.PROVIDER_UNAVAILABLE,
                    "every " + kind + " provider " + names + " has an open circuit breaker");
            retryOrFail(operation, op, loop, done, ctx, unavailable);
            return;
        }
        callOne(index, operation, op, loop, (res, err) -> {
            if (err != null) {
                retryOrFail(operation, op, loop, done, ctx, err);
            } else {
                ctx.onComplete();
                done.accept(res, null);
            }
        });
    }

    /**
     * One attempt on provider {@code index}, whose breaker permission the caller holds; no
     * retry. {@code done} runs on {@code loop}.
     */
    <T> void callOne(int index, String operation, Function<P, T> op, Executor loop,
                     BiConsumer<Result<T>, SessionException> done) {
        clock.executeBlocking(() -> {
            long t0 = clock.nanoTime();
            T value;
            try {
                value = op.apply(providers.get(index));
            } catch (RuntimeException | Error e) {
                long dt = clock.nanoTime() - t0;
                SessionException se = SessionException.wrap(kind.equals("stt") ? ErrorCode.STT_ERROR : ErrorCode.TTS_ERROR, e);
                breakers.get(index).onError(dt, TimeUnit.NANOSECONDS, se);
                telemetry.operation(kind + "." + operation, names.get(index), dt, false);
                loop.execute(() -> done.accept(null, se));
                return;
            }
            long dt = clock.nanoTime() - t0;
            breakers.get(index).onSuccess(dt, TimeUnit.NANOSECONDS);
            telemetry.operation(kind + "." + operation, names.get(index), dt, true);
            loop.execute(() -> done.accept(new Result<>(value, index, names.get(index)), null));
        });
    }

    private <T> void retryOrFail(String operation, Function<P, T> op, Executor loop,
                                 BiConsumer<Result<T>, SessionException> done, Retry.AsyncContext<Object> ctx,
                                 SessionException error) {
        long delayMillis = ctx.onError(error);
        if (delayMillis < 0) {
            done.accept(null, error);
            return;
        }
        log.warn("{} {} failed, retrying in {} ms: {}", kind, operation, delayMillis, error.getMessage());
        clock.schedule(() -> loop.execute(() -> attempt(operation, op, loop, done, ctx)), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Index of the first provider whose breaker admits a call, or -1. */
    int acquire() {
        for (int i = 0; i < breakers.size(); i++) {
            if (breakers.get(i).tryAcquirePermission()) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a provider better than {@code index} admits a call again (its breaker closed or half-open). */
    int betterAvailable(int index) {
        for (int i = 0; i < index; i++) {
            if (breakers.get(i).tryAcquirePermission()) {
                return i;
            }
        }
        return -1;
    }

    /** Records a failure of an established stream (e.g. a dropped connection). */
    void failed(int index, Throwable error) {
        breakers.get(index).onError(0, TimeUnit.NANOSECONDS, error);
    }

    /** Adapts the session clock for resilience4j's breakers. */
    private static final class BreakerClock extends java.time.Clock {
        private final Clock clock;

        BreakerClock(Clock clock) {
            this.clock = clock;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return clock.now();
        }
    }
}
