package io.parley.transport.websocket;

import io.parley.testing.ForwardingClock;
import io.parley.time.Clock;

/** The system clock with time zero at construction, so test-kit scripts line up with real time. */
final class OffsetClock extends ForwardingClock {

    private final long origin;

    OffsetClock() {
        super(Clock.system());
        origin = delegate().nanoTime();
    }

    @Override
    public long nanoTime() {
        return super.nanoTime() - origin;
    }
}
