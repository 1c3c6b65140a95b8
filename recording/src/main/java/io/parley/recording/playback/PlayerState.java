package io.parley.recording.playback;

/** What a {@link RecordingPlayer} is doing. */
public enum PlayerState {
    /** Not started, or stopped. */
    STOPPED,
    /** Replaying. */
    PLAYING,
    /** Paused; resume continues from the same position. */
    PAUSED,
    /** Reached the end. */
    FINISHED
}
