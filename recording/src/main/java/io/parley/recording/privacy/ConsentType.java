package io.parley.recording.privacy;

/** What a user can consent to. */
public enum ConsentType {
    /** Recording their voice (audio). */
    RECORDING,
    /** Keeping a transcript of what was said. */
    TRANSCRIPT,
    /** Computing statistics and analyses over their recordings. */
    ANALYTICS
}
