package io.parley.transport.websocket;

import io.parley.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** The system clock with time zero at construction, so test-kit scripts line up with real time. */
final class OffsetClock implements Clock {

    private final Clock system = Clock.system();
    private final long origin = system.nanoTime();

    @Override
    public long nanoTime() {
        return system.nanoTime() - origin;
    }

    @Override
    public Instant now() {
        return system.now();
    }

    @Override
    public void execute(Runnable task) {
        system.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        return system.schedule(task, delay, unit);
    }

    @Override
    public void executeBlocking(Runnable task) {
        system.executeBlocking(task);
    }
}
