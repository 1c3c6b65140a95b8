package io.parley.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A session's stop sequence: the start under way abandoned, or the run ended: its inbound
 * path detached, its turn, timers and background sound stopped, the agent cut, the recognizer
 * closed, the transport closed on the blocking pool once the previous run's transport is, and
 * the session ENDED. Loop-confined. The next start, and {@code stopAsync()}, wait for
 * {@link #closed()}.
 */
final class SessionStop {

    private final DefaultVoiceSession s;
    /** Completes once the latest transport close (and every one before it) is done. */
    private CompletableFuture<Void> closed = CompletableFuture.completedFuture(null);

    SessionStop(DefaultVoiceSession session) {
        this.s = session;
    }

    /** The transport closes requested so far, done. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** Stops the session for {@code reason}, reporting {@code cause} first if there is one. */
    void stop(String reason, SessionException cause) {
        if (s.start.abandon()) {
            // stop() during start(): the opens in flight close what they open when they finish.
            s.sttChain.deactivate();
            s.ttsChain.deactivate();
            if (s.state == SessionState.INITIAL) {
                s.transition(SessionState.ENDED, reason);
            }
            return;
        }
        if (!s.running) {
            if (s.state == SessionState.INITIAL) {
                s.transition(SessionState.ENDED, reason);
            }
            return;
        }
        s.running = false;
        s.sttChain.deactivate();
        s.ttsChain.deactivate();
        InboundAudio in = s.detachInbound();
        if (in != null) {
            in.setStream(null);
            in.retire();
        }
        s.turn.reset();
        s.turnTaking.cancelTimers();
        s.idleTimers().stop();
        s.output.stopTimers();
        s.output.stopBackground();
        if (cause != null) {
            s.reportError(cause);
        }
        s.cutAgent(reason, false);
        s.replies.reset();
        s.recognizer.close();
        closeTransport();
        s.transition(SessionState.ENDED, reason);
        s.telemetry.sessionStopped(Duration.ofNanos(s.clock.nanoTime() - s.startedNanos));
        s.sessionSpan.end(s.clock.now());
    }

    /** Closes the transport on the blocking pool, after the closes requested before. */
    void closeTransport() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> before = closed;
        closed = done;
        before.whenComplete((v, e) -> s.blocking(() -> {
            try {
                s.transport.close();
            } catch (RuntimeException ex) {
                s.loop.execute(() -> s.reportError(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, ex)));
            } finally {
                done.complete(null);
            }
        }));
    }
}
