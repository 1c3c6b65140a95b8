package io.parley.spi;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;

/**
 * Moves audio between the user and a session: inbound frames to a listener, outbound
 * frames to the user's ears.
 *
 * <p>The session hands outbound audio over already paced, at most a short lead ahead of
 * real time, so that {@link #clearPlayback()} on barge-in discards little.
 */
public interface Transport extends AutoCloseable {

    /** Format of inbound audio. */
    AudioFormat inputFormat();

    /** Format outbound audio must have. */
    AudioFormat outputFormat();

    /**
     * Begins delivering inbound audio and connection events. Called once per session start,
     * on the clock's blocking pool (it may block, e.g. for a hand-shake).
     */
    void start(TransportListener listener);

    /**
     * Queues outbound audio. Called on the session's event loop every 20 ms while the agent
     * speaks: must not block or allocate per call. The frame is only valid during this call.
     * A throw is reported as {@code TRANSPORT_ERROR} and ends the speech being played.
     */
    void send(AudioFrame frame);

    /**
     * Drops all queued outbound audio at once (barge-in). When this returns,
     * {@link #playedSamples()} no longer moves on account of the dropped audio.
     */
    void clearPlayback();

    /** Whether {@link #pausePlayback()} and {@link #resumePlayback()} are supported. */
    default boolean canPause() {
        return false;
    }

    /**
     * Stops playout where it is, keeping the queue.
     *
     * @throws IllegalStateException if {@link #canPause()} is false
     */
    default void pausePlayback() {
        throw new IllegalStateException(getClass().getSimpleName() + " cannot pause playback");
    }

    /**
     * Continues playout from where it was paused.
     *
     * @throws IllegalStateException if {@link #canPause()} is false
     */
    default void resumePlayback() {
        throw new IllegalStateException(getClass().getSimpleName() + " cannot pause playback");
    }

    /**
     * Total outbound samples (interleaved, in {@link #outputFormat()}) actually played out
     * since {@link #start}; cleared audio never counts. Monotonic.
     */
    long playedSamples();

    /**
     * Stops the transport and releases its resources. Called on the clock's blocking pool (it
     * may block while hanging up). Idempotent.
     */
    @Override
    void close();
}
