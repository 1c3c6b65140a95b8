package io.parley.testing;

import io.parley.session.SessionException;
import io.parley.testing.Violation.Invariant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The futures a chaos session's public calls returned: each must complete, and fail only with
 * a {@link SessionException}. Thread-safe.
 */
final class TrackedFutures {

    private final SessionProbe probe;
    private final ScaledClock clock;
    private final Map<CompletableFuture<?>, String> pending = new LinkedHashMap<>();

    TrackedFutures(SessionProbe probe, ScaledClock clock) {
        this.probe = probe;
        this.clock = clock;
    }

    /** Watches {@code f}, named {@code what} in violations. */
    void track(String what, CompletableFuture<?> f) {
        synchronized (pending) {
            pending.put(f.whenComplete((r, e) -> {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause != null && !(cause instanceof SessionException)) {
                    probe.violation(Invariant.UNTYPED_ERROR, what + " failed with " + cause + " instead of a SessionException");
                }
            }), what + " (session time " + String.format("%.2fs", clock.nanoTime() / 1e9 % 10_000) + ")");
        }
    }

    /** The names of those not complete yet. */
    List<String> unfinished() {
        List<String> out = new ArrayList<>();
        synchronized (pending) {
            pending.forEach((f, what) -> {
                if (!f.isDone()) {
                    out.add(what);
                }
            });
        }
        return out;
    }
}
