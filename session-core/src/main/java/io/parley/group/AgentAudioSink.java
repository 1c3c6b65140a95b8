package io.parley.group;

import io.parley.audio.AudioFrame;

/**
 * Where a voice participant hears the agent. Called from the synthesizer's thread, so it must
 * not block; the frame is valid only during the call.
 */
@FunctionalInterface
public interface AgentAudioSink {

    /** Agent audio in the session's output format. */
    void onAgentAudio(AudioFrame frame);

    /** The agent's current utterance ended (completed, or cut off when {@code interrupted}). */
    default void onAgentAudioEnd(long turnId, boolean interrupted) {
    }
}
