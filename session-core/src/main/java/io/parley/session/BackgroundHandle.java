package io.parley.session;

/**
 * A clip being mixed into the session's outbound audio by
 * {@link VoiceSession#playBackground(io.parley.audio.AudioClip, BackgroundOptions)}. Safe to use
 * from any thread.
 */
public interface BackgroundHandle {

    /**
     * Stops mixing the clip. No frame handed to the transport after the session's event loop
     * has processed the stop contains any of it; audio already handed over (at most the
     * session's playout lead) still plays. Idempotent.
     */
    void stop();

    /** True until the clip was stopped, played out (when not looping), or the session ended. */
    boolean playing();
}
