package io.parley.spi;

import java.time.Duration;

/**
 * Decides when the user has finished their turn. One instance per session; the session
 * calls it from its event loop only, so implementations need not be thread-safe.
 */
public interface TurnDetector {

    /**
     * Called when the user falls silent and again whenever the transcript of the silent
     * stretch changes. The session commits the turn {@code delay} after the last speech
     * unless the user speaks again. A recognizer that times its words and runs behind the
     * audio publishes the words of the pause late: the session then adds its lag beyond 100 ms
     * to {@code delay}, and waits for a stream whose results do not yet reach the end of the
     * wait, or 200 ms past the end of speech for a shorter wait ({@link SttStream#publishedNanos()}),
     * within {@link TurnContext#maxDelay()}, so the verdict is not taken on words that stop
     * short of the pause (see {@code SessionConfig.endpointingMaxDelay}).
     */
    TurnPrediction predict(TurnContext context);

    /**
     * Tells the detector how a pause ended, so it can adapt to the speaker: either the user
     * resumed speaking after {@code pause} ({@code endedTurn} false), or the turn was
     * committed after {@code pause} of silence ({@code endedTurn} true). A user who talks on
     * shortly after a commit (the turn was cut off) is reported as a resumed pause longer than
     * the wait the detector chose, measured from the end of the earlier speech.
     */
    default void observePause(Duration pause, boolean endedTurn) {
    }

    /**
     * Whether {@link #predict} reads {@link TurnContext#prosody()}. Measuring prosody tracks the
     * caller's pitch on every voiced frame, the largest part of the inbound path's cost; a
     * detector that ignores it answers false and its sessions skip that work (its contexts
     * then carry {@code Prosody.UNKNOWN}). Asked once, when a session is built.
     */
    default boolean usesProsody() {
        return true;
    }

    /** Forgets what was learned about the speaker. */
    default void reset() {
    }
}
