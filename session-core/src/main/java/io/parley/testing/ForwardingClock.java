package io.parley.testing;

import io.parley.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Clock} that forwards every call to another one, for tests that change one part of a
 * clock and keep the rest: subclass it, override what changes and call {@code super} (or
 * {@link #delegate()}) for the rest. Repeating timers are built on this clock's
 * {@link #schedule} (the interface's default), so an overridden {@code schedule} sees them too.
 *
 * <p>For example, the system clock with time zero when the test starts, so a {@link UserScript}
 * lines up with real time, or a {@link VirtualClock} whose blocking tasks a test runs by hand:
 *
 * <pre>{@code
 * Clock zeroed = new ForwardingClock(Clock.system()) {
 *     private final long origin = delegate().nanoTime();
 *
 *     @Override
 *     public long nanoTime() {
 *         return super.nanoTime() - origin;
 *     }
 * };
 * }</pre>
 *
 * <p>Thread-safe if the delegate is and the overrides are.
 */
public abstract class ForwardingClock implements Clock {

    private final Clock delegate;

    /**
     * @param delegate the clock every call not overridden goes to
     * @throws IllegalArgumentException if {@code delegate} is null
     */
    protected ForwardingClock(Clock delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate must not be null");
        }
        this.delegate = delegate;
    }

    /** The clock calls are forwarded to. */
    protected final Clock delegate() {
        return delegate;
    }

    @Override
    public long nanoTime() {
        return delegate.nanoTime();
    }

    @Override
    public Instant now() {
        return delegate.now();
    }

    @Override
    public void execute(Runnable task) {
        delegate.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        return delegate.schedule(task, delay, unit);
    }

    @Override
    public void executeBlocking(Runnable task) {
        delegate.executeBlocking(task);
    }
}
