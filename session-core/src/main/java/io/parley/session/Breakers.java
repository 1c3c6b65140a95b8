package io.parley.session;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import io.parley.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The circuit breaker of each provider instance, shared by every session that uses it, so
 * failures one session saw spare the next one the wait. The first session to use an instance
 * sets its breaker's threshold, open duration and clock; the entry goes away with the
 * provider (providers are compared with {@code equals}, which is identity for all of
 * Parley's).
 */
final class Breakers {

    private static final Map<Object, CircuitBreaker> BREAKERS = new WeakHashMap<>();

    private Breakers() {
    }

    static synchronized CircuitBreaker of(Object provider, String name, SessionConfig config, Clock clock) {
        return BREAKERS.computeIfAbsent(provider, k -> create(name, config, clock));
    }

    private static CircuitBreaker create(String name, SessionConfig config, Clock clock) {
        CircuitBreakerConfig cbConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.breakerFailureThreshold())
                .minimumNumberOfCalls(config.breakerFailureThreshold())
                .failureRateThreshold(100f)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(config.breakerOpenDuration())
                .build();
        // The state machine constructor is the one way to give a breaker our clock, which
        // keeps open-to-half-open timing testable in virtual time.
        return new CircuitBreakerStateMachine(name, cbConfig, new BreakerClock(clock));
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
