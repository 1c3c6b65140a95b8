package io.parley.session;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a {@link VoiceSession} and the only transitions allowed between them.
 */
public enum SessionState {
    /** Built but not started. */
    INITIAL,
    /** Listening for the user. */
    LISTENING,
    /** The user's turn ended; recognising and generating a reply. */
    PROCESSING,
    /** Playing the agent's voice. */
    SPEAKING,
    /** The user has been silent for the away timeout while the agent was idle. */
    AWAY,
    /** Stopped; may be restarted. */
    ENDED;

    private Set<SessionState> next;

    static {
        INITIAL.next = EnumSet.of(LISTENING, ENDED);
        LISTENING.next = EnumSet.of(PROCESSING, SPEAKING, AWAY, ENDED);
        PROCESSING.next = EnumSet.of(SPEAKING, LISTENING, ENDED);
        SPEAKING.next = EnumSet.of(LISTENING, PROCESSING, ENDED);
        AWAY.next = EnumSet.of(LISTENING, ENDED);
        ENDED.next = EnumSet.of(INITIAL, LISTENING);
    }

    /** Whether a session in this state may move to {@code target}; never to itself. */
    public boolean canTransitionTo(SessionState target) {
        return next.contains(target);
    }

    /** States this one may move to. */
    public Set<SessionState> successors() {
        return EnumSet.copyOf(next);
    }

    /**
     * Checks a transition.
     *
     * @throws SessionException with {@link ErrorCode#INVALID_STATE} if it is not allowed
     */
    public void checkTransitionTo(SessionState target) {
        if (!canTransitionTo(target)) {
            throw new SessionException(ErrorCode.INVALID_STATE, "transition " + this + " -> " + target + " is not allowed");
        }
    }
}
