package io.parley.session;

import java.time.Duration;
import java.time.Instant;

/**
 * Agent speech started, was paused or resumed, finished, or was interrupted.
 *
 * @param kind       what happened
 * @param speechId   the speech
 * @param turnId     the user turn it answers, 0 for {@code say}
 * @param text       the full text meant to be spoken (so far, while still generating)
 * @param playedText what had been heard when this happened
 * @param played     audio played when this happened
 * @param at         when
 */
public record PlaybackEvent(Kind kind, long speechId, long turnId, String text, String playedText,
                            Duration played, Instant at) {

    /** Playback milestones. */
    public enum Kind {
        /** First audio handed to the transport. */
        STARTED,
        /** Paused on possible barge-in. */
        PAUSED,
        /** Resumed after a false interruption. */
        RESUMED,
        /** All audio played. */
        FINISHED,
        /** Cut short by barge-in, {@code interrupt()}, cancellation or stop. */
        INTERRUPTED
    }
}
