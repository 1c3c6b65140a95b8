package io.parley.session;

import io.parley.audio.AudioFrame;

/**
 * Receives copies of the audio a session hears and speaks, for recording or monitoring.
 * Delivered in order on the listener thread, never on the audio path; the frames are the
 * listener's to keep. Registering one costs a copy per frame, so sessions without one
 * copy nothing.
 */
public interface AudioListener {

    /** Audio from the user, after noise cancellation, stamped with its capture time. */
    default void onUserAudio(AudioFrame frame) {
    }

    /** Agent audio as handed to the transport, stamped with when it was handed over. */
    default void onAgentAudio(AudioFrame frame) {
    }

    /** Queued agent audio was dropped (barge-in); audio stamped after {@code atNanos} was never heard. */
    default void onAgentAudioCleared(long atNanos) {
    }
}
