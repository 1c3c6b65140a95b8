package io.parley.session;

import io.parley.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The session's net under a speech that stops moving: once its text is complete, either the
 * synthesizer delivers audio (or completes) or the transport plays some of it at least once per
 * timeout; a speech that does neither is ended by its owner. Providers cannot always tell that
 * a reply is over (a stream that never completes, a transport that stopped playing), so the
 * session does. One repeating timer per watched speech, checking once per timeout: on the
 * system clock a repeating timer allocates nothing per run, so a speech that goes on for
 * minutes costs no garbage. Loop-confined.
 */
final class PlayoutWatch {

    private final Clock clock;
    private final long timeoutNanos;
    private final Runnable checkOnLoop;
    private Speech watched;
    private long lastProgress;
    private Clock.Cancellable timer;

    /**
     * @param checkOnLoop posts the owner's check to the event loop; the check calls {@link #expired}
     */
    PlayoutWatch(Clock clock, long timeoutNanos, Runnable checkOnLoop) {
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
        this.checkOnLoop = checkOnLoop;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Starts watching {@code s} with its progress counter now; nothing changes if it is already watched. */
    void watch(Speech s, long progress) {
        if (watched == s) {
            return;
        }
        stop();
        watched = s;
        lastProgress = progress;
        timer = clock.scheduleRepeating(checkOnLoop, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        watched = null;
    }

    /**
     * The timer fired for the active speech {@code s}. Returns true, and stops watching, if its
     * progress counter has not moved since the previous check, a timeout ago, and it is not
     * {@code held} (paused while the user may be barging in); otherwise checks again a timeout
     * later.
     */
    boolean expired(Speech s, long progress, boolean held) {
        if (s != watched) {
            return false;
        }
        if (progress != lastProgress || held) {
            lastProgress = progress;
            return false;
        }
        stop();
        return true;
    }
}
