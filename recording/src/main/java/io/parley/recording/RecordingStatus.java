package io.parley.recording;

/** Where a recording is in its life. */
public enum RecordingStatus {
    /** Being written. A recording found in this state after a crash was not stopped cleanly. */
    RECORDING,
    /** Being written, but capture is paused. */
    PAUSED,
    /** Stopped and complete. */
    STOPPED
}
