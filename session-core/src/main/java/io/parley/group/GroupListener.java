package io.parley.group;

import io.parley.session.SessionException;

/**
 * Follows a {@link GroupSession}. Callbacks come from the session's event loop, one at a time
 * and in order; they must return quickly and never block.
 */
public interface GroupListener {

    /** Someone joined. */
    default void onParticipantJoined(Participant participant) {
    }

    /** Someone left. */
    default void onParticipantLeft(Participant participant) {
    }

    /** A participant was recognised saying something (interim or final). */
    default void onTranscript(GroupTranscript transcript) {
    }

    /** A participant finished a turn. */
    default void onTurn(GroupTurn turn) {
    }

    /** The agent starts answering {@code turn}. */
    default void onAgentThinking(GroupTurn turn) {
    }

    /** The agent answered (or was cut off). */
    default void onAgentReply(AgentReply reply) {
    }

    /** The agent was switched on or off. */
    default void onAgentEnabled(boolean enabled) {
    }

    /** Something failed; the session keeps running unless it says otherwise. */
    default void onError(SessionException error) {
    }

    /** The session stopped. */
    default void onStopped() {
    }
}
