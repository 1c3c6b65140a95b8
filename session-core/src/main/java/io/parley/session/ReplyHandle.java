package io.parley.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The handle of one agent reply. Created when the reply is asked for (from any thread);
 * completed on the event loop as the reply is generated and played.
 */
final class ReplyHandle implements SpeechHandle {

    final long id;
    volatile long turnId;
    final CompletableFuture<String> text = new CompletableFuture<>();
    final CompletableFuture<PlaybackResult> playout = new CompletableFuture<>();
    private final Consumer<ReplyHandle> canceller;
    private volatile boolean interrupted;

    ReplyHandle(long id, long turnId, Consumer<ReplyHandle> canceller) {
        this.id = id;
        this.turnId = turnId;
        this.canceller = canceller;
    }

    /** The reply is voiced by {@code s}: playout follows it. */
    void attach(Speech s) {
        if (s == null) {
            return;
        }
        s.result.whenComplete((r, e) -> {
            if (e != null) {
                playout.completeExceptionally(e);
            } else {
                interrupted = r.interrupted();
                playout.complete(r);
            }
        });
    }

    /** The reply was cut before it was complete. */
    void cancelled() {
        if (!text.isDone()) {
            interrupted = true;
            text.completeExceptionally(new SessionException(ErrorCode.INVALID_STATE,
                    "reply " + id + " was cancelled before it was complete"));
        }
    }

    /** Generated and not spoken: playout completes at once with nothing played. */
    void unspoken(String full) {
        playout.complete(new PlaybackResult(id, full, "", Duration.ZERO, false));
    }

    /** Ended before any speech existed for it (stop, barge-in on a silent reply). */
    void abandoned() {
        cancelled();
        if (!playout.isDone()) {
            interrupted = true;
            playout.complete(new PlaybackResult(id, "", "", Duration.ZERO, true));
        }
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long turnId() {
        return turnId;
    }

    @Override
    public CompletableFuture<String> text() {
        return text;
    }

    @Override
    public CompletableFuture<PlaybackResult> playout() {
        return playout;
    }

    @Override
    public PlaybackResult awaitPlayout(Duration timeout) {
        return Speech.await(playout, timeout, "reply " + id, ErrorCode.AGENT_ERROR);
    }

    @Override
    public void cancel() {
        canceller.accept(this);
    }

    @Override
    public boolean interrupted() {
        return interrupted;
    }
}
