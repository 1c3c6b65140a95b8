package io.parley.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One piece of agent speech: a {@code say} or a reply to a user turn.
 */
public interface PlaybackHandle {

    /** Unique id of this speech within its session. */
    long id();

    /**
     * Completes when playout ends, normally or by interruption, with the outcome; never
     * completes exceptionally except with {@link SessionException} on provider failure.
     */
    CompletableFuture<PlaybackResult> playout();

    /**
     * Blocks until playout ends.
     *
     * @throws IllegalArgumentException if {@code timeout} is null or negative
     * @throws SessionException with {@link ErrorCode#TIMEOUT} if it does not end in time, or
     *                          the provider failure that ended it
     */
    PlaybackResult awaitPlayout(Duration timeout);

    /** Stops this speech (queued or playing), as a barge-in would. */
    void cancel();

    /** True once playout ended by interruption or cancellation. */
    boolean interrupted();
}
