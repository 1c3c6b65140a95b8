package io.parley.session;

import io.parley.audio.prosody.Prosody;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's clocks for nothing happening: inactivity (ends the session), the user's
 * absence (state AWAY), a disconnected transport's grace period, and user audio that stops
 * coming while the user speaks. Loop-confined.
 */
final class Idle {

    private static final Logger log = LoggerFactory.getLogger(Idle.class);

    private final DefaultVoiceSession s;
    private long lastActivityNanos;
    private Clock.Cancellable awayTimer;
    private Clock.Cancellable inactivityTimer;
    private Clock.Cancellable disconnectTimer;
    private Clock.Cancellable stallTimer;
    /** Bumped whenever the stall watch is re-armed or dropped, so a timer task already posted does nothing. */
    private int stallArms;
    private long stallOnset;
    private long heardAtCheck;

    Idle(DefaultVoiceSession session) {
        this.s = session;
    }

    void start() {
        lastActivityNanos = s.clock.nanoTime();
        armInactivity(s.config.timeout().toNanos());
        armAway();
    }

    void stop() {
        cancel(awayTimer);
        cancel(inactivityTimer);
        cancel(disconnectTimer);
        awayTimer = inactivityTimer = disconnectTimer = null;
        speechEnded();
    }

    /**
     * The user started speaking (onset {@code seq}): watch that their audio keeps coming. A
     * VAD hears the end of speech only in audio; when the audio stops mid-speech (a peer gone
     * mid-word, a host whose input ended, push-to-talk released) the turn would otherwise wait
     * for an end that never comes, its words unanswered, and the session would count the
     * silent user as speaking for good.
     */
    void speechStarted(long seq) {
        speechEnded();
        InboundAudio in = s.inbound();
        long bound = s.config.inputStallTimeout().toNanos();
        if (in == null || bound == 0) {
            return;
        }
        stallOnset = seq;
        heardAtCheck = in.heard();
        armStall(in, bound);
    }

    /** The user's speech ended: no stall watch until the next onset. */
    void speechEnded() {
        stallArms++;
        cancel(stallTimer);
        stallTimer = null;
    }

    private void armStall(InboundAudio in, long bound) {
        int arm = ++stallArms;
        stallTimer = s.clock.schedule(() -> s.loop.execute(() -> {
            if (arm != stallArms || !s.running || s.inbound() != in) {
                return;
            }
            stallTimer = null;
            long heard = in.heard();
            if (heard != heardAtCheck) {
                heardAtCheck = heard;
                armStall(in, bound);
                return;
            }
            long offset = in.speechStalled(stallOnset);
            log.info("session {}: no user audio for {} while the user was speaking; their speech ended with the last audio",
                    s.id, s.config.inputStallTimeout());
            s.turn.speechEnded(offset, Prosody.UNKNOWN);
        }), bound, TimeUnit.NANOSECONDS);
    }

    void touch() {
        lastActivityNanos = s.clock.nanoTime();
    }

    private void armInactivity(long delayNanos) {
        inactivityTimer = s.clock.schedule(() -> s.loop.execute(() -> {
            inactivityTimer = null;
            if (!s.running) {
                return;
            }
            long now = s.clock.nanoTime();
            long timeout = s.config.timeout().toNanos();
            if (s.turn.speaking() || s.output.active() != null) {
                // Someone is speaking: that is activity. (Re-arming for what is left would
                // spin a timer every millisecond under a long speech.)
                lastActivityNanos = now;
            }
            long idle = now - lastActivityNanos;
            if (idle >= timeout) {
                s.end("timeout", new SessionException(ErrorCode.SESSION_EXPIRED,
                        "no activity for " + s.config.timeout() + "; session ended"));
            } else {
                armInactivity(timeout - idle);
            }
        }), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Arms the away timer from the session's away anchor, unless it is armed. */
    void armAway() {
        long limit = s.config.awayTimeout().toNanos();
        armAway(Math.max(0, s.awayAnchorNanos + limit - s.clock.nanoTime()));
    }

    private void armAway(long delayNanos) {
        if (awayTimer != null || !s.running) {
            return;
        }
        awayTimer = s.clock.schedule(() -> s.loop.execute(() -> {
            awayTimer = null;
            if (!s.running || s.state != SessionState.LISTENING) {
                return;
            }
            long silent = s.clock.nanoTime() - s.awayAnchorNanos;
            long limit = s.config.awayTimeout().toNanos();
            boolean quiet = s.quiet();
            if (quiet && silent >= limit) {
                s.transition(SessionState.AWAY, "away_timeout");
            } else if (quiet) {
                armAway(limit - silent);
            }
        }), delayNanos, TimeUnit.NANOSECONDS);
    }

    void reconnected() {
        if (disconnectTimer != null) {
            log.info("session {}: transport reconnected", s.id);
            disconnectTimer.cancel();
            disconnectTimer = null;
        }
    }

    /** Networks blip: the session waits {@code disconnectGrace} for the transport to come back. */
    void disconnected(String reason) {
        if (!s.running || disconnectTimer != null) {
            return;
        }
        Duration grace = s.config.disconnectGrace();
        Runnable end = () -> {
            disconnectTimer = null;
            s.end("transport_closed", new SessionException(ErrorCode.TRANSPORT_CLOSED,
                    "transport disconnected (" + reason + ") and did not reconnect within " + grace));
        };
        if (grace.isZero()) {
            end.run();
            return;
        }
        log.warn("session {}: transport disconnected ({}); waiting {} for it to reconnect", s.id, reason, grace);
        disconnectTimer = s.clock.schedule(() -> s.loop.execute(end), grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void cancel(Clock.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
