package io.parley.session;

import java.util.concurrent.CompletableFuture;

/**
 * A session's start sequence: the inbound audio path built, the recognizer opened, the
 * transport started, each on the blocking pool and in that order, once the previous run's
 * closes are done. Loop-confined. A {@code stop()} while it runs abandons the attempt: each
 * step still in flight sees that and closes what it opened.
 */
final class SessionStart {

    private final DefaultVoiceSession s;
    /** The attempt under way (each step checks it is still current), null if none. */
    private Object attempt;
    private CompletableFuture<Void> done;

    SessionStart(DefaultVoiceSession session) {
        this.s = session;
    }

    /** Whether a start is under way. */
    boolean active() {
        return attempt != null;
    }

    /**
     * Starts after {@code closed} (the previous run's closes) completes; {@code done}
     * completes when the session listens, or fails with the reason it could not start.
     */
    void begin(CompletableFuture<Void> closed, CompletableFuture<Void> done) {
        Object current = new Object();
        attempt = current;
        this.done = done;
        closed.whenComplete((v, e) -> s.blocking(() -> {
            InboundAudio in;
            try {
                in = s.newInbound();
            } catch (RuntimeException ex) {
                s.loop.execute(() -> failed(current, SessionException.wrap(ErrorCode.INVALID_CONFIG, ex)));
                return;
            }
            s.loop.execute(() -> openRecognizer(current, in));
        }));
    }

    /**
     * A {@code stop()} came first: the attempt is over and its future fails; the steps in
     * flight close what they open.
     *
     * @return false if no start was under way
     */
    boolean abandon() {
        if (attempt == null) {
            return false;
        }
        attempt = null;
        s.recognizer.close();
        done.completeExceptionally(new SessionException(ErrorCode.SESSION_NOT_ACTIVE,
                "session " + s.id + " was stopped while starting"));
        return true;
    }

    private void openRecognizer(Object current, InboundAudio in) {
        if (attempt != current) {
            return;
        }
        s.recognizer.open(opened -> {
            if (attempt != current) {
                return;
            }
            if (!opened) {
                failed(current, s.recognizer.lastError());
                return;
            }
            s.blocking(() -> {
                try {
                    s.transport.start(new SessionInputs.TransportEvents(s, in));
                } catch (RuntimeException ex) {
                    s.loop.execute(() -> failed(current, SessionException.wrap(ErrorCode.TRANSPORT_ERROR, ex)));
                    return;
                }
                s.loop.execute(() -> transportStarted(current, in));
            });
        });
    }

    private void failed(Object current, SessionException error) {
        if (attempt != current) {
            return;
        }
        attempt = null;
        s.recognizer.close();
        done.completeExceptionally(error);
    }

    private void transportStarted(Object current, InboundAudio in) {
        if (attempt != current) {
            // stop() came first: nobody will use this transport.
            s.stopping.closeTransport();
            return;
        }
        attempt = null;
        s.started(in);
        done.complete(null);
    }
}
