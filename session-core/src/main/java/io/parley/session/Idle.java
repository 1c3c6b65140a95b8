package io.parley.session;

import io.parley.audio.prosody.Prosody;
import java.time.Duration;
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
    private final LoopTimer awayTimer;
    private final LoopTimer inactivityTimer;
    private final LoopTimer disconnectTimer;
    private final LoopTimer stallTimer;
    private long stallOnset;
    private long heardAtCheck;

    Idle(DefaultVoiceSession session) {
        this.s = session;
        this.awayTimer = new LoopTimer(session.clock, session.loop);
        this.inactivityTimer = new LoopTimer(session.clock, session.loop);
        this.disconnectTimer = new LoopTimer(session.clock, session.loop);
        this.stallTimer = new LoopTimer(session.clock, session.loop);
    }

    void start() {
        lastActivityNanos = s.clock.nanoTime();
        armInactivity(s.config.timeout().toNanos());
        armAway();
    }

    void stop() {
        awayTimer.cancel();
        inactivityTimer.cancel();
        disconnectTimer.cancel();
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
        stallTimer.cancel();
    }

    private void armStall(InboundAudio in, long bound) {
        stallTimer.arm(bound, () -> {
            if (!s.running || s.inbound() != in) {
                return;
            }
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
        });
    }

    void touch() {
        lastActivityNanos = s.clock.nanoTime();
    }

    private void armInactivity(long delayNanos) {
        inactivityTimer.arm(delayNanos, () -> {
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
        });
    }

    /** Arms the away timer from the session's away anchor, unless it is armed. */
    void armAway() {
        long limit = s.config.awayTimeout().toNanos();
        armAway(Math.max(0, s.awayAnchorNanos + limit - s.clock.nanoTime()));
    }

    private void armAway(long delayNanos) {
        if (awayTimer.armed() || !s.running) {
            return;
        }
        awayTimer.arm(delayNanos, () -> {
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
        });
    }

    void reconnected() {
        if (disconnectTimer.armed()) {
            // Also drops a grace timer that fired while the loop was busy with this news.
            log.info("session {}: transport reconnected", s.id);
            disconnectTimer.cancel();
        }
    }

    /** Networks blip: the session waits {@code disconnectGrace} for the transport to come back. */
    void disconnected(String reason) {
        if (!s.running || disconnectTimer.armed()) {
            return;
        }
        Duration grace = s.config.disconnectGrace();
        Runnable end = () -> {
            s.end("transport_closed", new SessionException(ErrorCode.TRANSPORT_CLOSED,
                    "transport disconnected (" + reason + ") and did not reconnect within " + grace));
        };
        if (grace.isZero()) {
            end.run();
            return;
        }
        log.warn("session {}: transport disconnected ({}); waiting {} for it to reconnect", s.id, reason, grace);
        disconnectTimer.arm(grace.toNanos(), end);
    }
}
