package io.parley.recording;

/**
 * Hears what a {@link SessionRecorder} does, e.g. to show a recording light, ship finished
 * recordings elsewhere or alert on problems. Callbacks run one at a time, in order, on the
 * recorder's listener executor, never while the recorder holds its lock, so they may call back
 * into the recorder; a slow listener delays only later callbacks. Every method has an empty default.
 */
public interface RecordingListener {

    /**
     * A recording began or was reopened to append to.
     *
     * @param resumed whether it already existed (resume, auto recording continuing a day, rename)
     */
    default void onStarted(RecordingMetadata metadata, boolean resumed) {
    }

    /** A recording was stopped and its files finished; {@code metadata} is final. */
    default void onStopped(RecordingMetadata metadata) {
    }

    /**
     * Another second of audio reached the recording's files.
     *
     * @param audioFrames frames now stored in total
     */
    default void onChunkWritten(String recording, long audioFrames) {
    }

    /**
     * Something went wrong or had to be repaired: a crash was recovered on reopening, audio came
     * too late to be placed, or a write failed (the exception also reaches the caller).
     */
    default void onProblem(String recording, String problem) {
    }
}
