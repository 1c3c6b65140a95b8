package io.parley.recording;

/** What a {@link SessionRecorder} is doing. */
public enum RecorderState {
    /** Not recording. */
    IDLE,
    /** Writing events and audio. */
    RECORDING,
    /** A recording is open but capture is paused. */
    PAUSED
}
