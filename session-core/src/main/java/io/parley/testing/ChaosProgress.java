package io.parley.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The session-minutes a chaos run has run so far: its finished sessions' and those still running,
 * up to now. The run stops starting sessions once they reach {@link ChaosHarness.Builder#sessionMinutes(double)}.
 */
final class ChaosProgress {

    private final Set<ChaosSession> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong finishedNanos = new AtomicLong();

    void started(ChaosSession s) {
        running.add(s);
    }

    void finished(ChaosSession s) {
        if (running.remove(s)) {
            finishedNanos.addAndGet(s.sessionNanos());
        }
    }

    double minutes() {
        long nanos = finishedNanos.get();
        for (ChaosSession s : running) {
            nanos += s.sessionNanos();
        }
        return nanos / 60e9;
    }
}
