package io.parley.session;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A primary provider and its fallbacks, each behind a circuit breaker, with retries and
 * exponential backoff for calls through them.
 *
 * <p>One attempt goes down the chain: a provider that fails hands the call to the next one at
 * once, so a dead primary falls back within the first attempt whatever the breaker
 * thresholds. Only when every provider of the chain failed does the call wait (retry delay,
 * doubled each time) and start again from the best available one, at most
 * {@link SessionConfig#maxRetries()} times.
 *
 * <p>Breakers belong to provider instances and are shared by every session that uses the
 * instance ({@link Breakers}): what one session learns about a dead provider, the next one
 * uses. Calls run on the blocking executor, never on the loop. {@link #deactivate()} (the
 * session stopped) cancels pending retries, and a call that had not reached its provider yet
 * never does.
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
    private final int maxRetries;
    private final long retryDelayNanos;
    private final Clock clock;
    private final Telemetry telemetry;
    private final Executor blocking;
    private final Set<Clock.Cancellable> pendingRetries = ConcurrentHashMap.newKeySet();
    private volatile int epoch;
    private volatile boolean active;

    ProviderChain(String kind, List<P> providers, Function<P, String> name, SessionConfig config, Clock clock,
                  Telemetry telemetry, Executor blocking) {
        this.kind = kind;
        this.providers = List.copyOf(providers);
        this.names = this.providers.stream().map(name).toList();
        this.clock = clock;
        this.telemetry = telemetry;
        this.blocking = blocking;
        this.maxRetries = config.maxRetries();
        this.retryDelayNanos = config.retryDelay().toNanos();
        for (int i = 0; i < this.providers.size(); i++) {
            breakers.add(Breakers.of(this.providers.get(i), kind + ":" + names.get(i), config, clock));
        }
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

    /** The session started: calls may reach providers. */
    void activate() {
        active = true;
    }

    /** The session stopped: pending retries are cancelled and no call reaches a provider any more. */
    void deactivate() {
        active = false;
        epoch++;
        for (Clock.Cancellable c : pendingRetries) {
            c.cancel();
        }
        pendingRetries.clear();
    }

    /**
     * Calls {@code op} on the best available provider, off the event loop, falling back down
     * the chain and retrying with backoff. {@code done} runs on {@code loop} with the result
     * or the final error.
     */
    <T> void call(String operation, Function<P, T> op, SerialExecutor loop, BiConsumer<Result<T>, SessionException> done) {
        round(operation, op, loop, done, 0, epoch);
    }

    private <T> void round(String operation, Function<P, T> op, SerialExecutor loop,
                           BiConsumer<Result<T>, SessionException> done, int retry, int e) {
        next(operation, op, loop, done, retry, e, 0, null, false);
    }

    /** Tries providers from {@code from} on; after the last, retries the round or gives up. */
    private <T> void next(String operation, Function<P, T> op, SerialExecutor loop, BiConsumer<Result<T>, SessionException> done,
                          int retry, int e, int from, SessionException lastError, boolean anyRetryable) {
        if (e != epoch) {
            done.accept(null, stopped());
            return;
        }
        int index = acquire(from);
        if (index < 0) {
            SessionException error = lastError != null ? lastError : new SessionException(ErrorCode.PROVIDER_UNAVAILABLE,
                    "every " + kind + " provider " + names + " has an open circuit breaker");
            boolean again = lastError == null || anyRetryable;
            if (!again || retry >= maxRetries) {
                done.accept(null, error);
                return;
            }
            long delay = retryDelayNanos << Math.min(retry, 20);
            log.warn("{} {} failed on every provider, retrying in {} ms: {}", kind, operation, delay / 1_000_000,
                    error.getMessage());
            // Registered before it is scheduled: on a real clock the timer may fire before
            // schedule() returns, and deactivate() must be able to cancel it at any point.
            PendingRetry pending = new PendingRetry();
            pendingRetries.add(pending);
            pending.timer = clock.schedule(() -> {
                pendingRetries.remove(pending);
                if (!pending.cancelled) {
                    loop.execute(() -> round(operation, op, loop, done, retry + 1, e));
                }
            }, delay, TimeUnit.NANOSECONDS);
            if (e != epoch) {
                pending.cancel();
                pendingRetries.remove(pending);
                done.accept(null, stopped());
            }
            return;
        }
        callOne(index, operation, op, loop, (res, err) -> {
            if (err == null) {
                done.accept(res, null);
            } else {
                next(operation, op, loop, done, retry, e, index + 1, err, anyRetryable || err.retryable());
            }
        });
    }

    private SessionException stopped() {
        return new SessionException(ErrorCode.SESSION_NOT_ACTIVE, kind + " call abandoned: the session stopped");
    }

    /**
     * One attempt on provider {@code index}, whose breaker permission the caller holds; no
     * retry. {@code done} runs on {@code loop}: on the blocking thread that made the call, its
     * work done, when the loop is idle (see {@link SerialExecutor#executeHere}), since an open
     * synthesizer is on the way from the end of a turn to the reply's first audio.
     */
    <T> void callOne(int index, String operation, Function<P, T> op, SerialExecutor loop,
                     BiConsumer<Result<T>, SessionException> done) {
        int e = epoch;
        blocking.execute(() -> {
            if (e != epoch || !active) {
                breakers.get(index).releasePermission();
                loop.executeHere(() -> done.accept(null, stopped()));
                return;
            }
            long t0 = clock.nanoTime();
            T value;
            try {
                value = op.apply(providers.get(index));
            } catch (RuntimeException | Error ex) {
                long dt = clock.nanoTime() - t0;
                SessionException se = SessionException.wrap(kind.equals("stt") ? ErrorCode.STT_ERROR : ErrorCode.TTS_ERROR, ex);
                breakers.get(index).onError(dt, TimeUnit.NANOSECONDS, se);
                telemetry.operation(kind + "." + operation, names.get(index), dt, false);
                loop.executeHere(() -> done.accept(null, se));
                return;
            }
            long dt = clock.nanoTime() - t0;
            breakers.get(index).onSuccess(dt, TimeUnit.NANOSECONDS);
            telemetry.operation(kind + "." + operation, names.get(index), dt, true);
            loop.executeHere(() -> done.accept(new Result<>(value, index, names.get(index)), null));
        });
    }

    /** Index of the first provider from {@code from} on whose breaker admits a call, or -1. */
    private int acquire(int from) {
        for (int i = from; i < breakers.size(); i++) {
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

    /** A retry waiting for its delay; cancellable before and after its timer exists. */
    private static final class PendingRetry implements Clock.Cancellable {
        volatile Clock.Cancellable timer;
        volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
            Clock.Cancellable t = timer;
            if (t != null) {
                t.cancel();
            }
        }
    }
}
