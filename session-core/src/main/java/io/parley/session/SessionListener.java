package io.parley.session;

/**
 * Observes a session. Every method has an empty default, so implement only what you need.
 *
 * <p>Events are delivered in order, one at a time, on a thread that is neither the audio
 * path nor the session's event loop: a listener may block briefly or call back into the
 * session (even {@code say(...).awaitPlayout(...)}) without stalling or deadlocking it.
 * Events are handed to that thread after the session has acted on them (called the agent,
 * opened the synthesizer, sent the frame), so listening never adds to the reply's latency.
 */
public interface SessionListener {

    /** The state changed. */
    default void onStateChanged(StateChange change) {
    }

    /** The user started or stopped speaking. */
    default void onUserSpeech(UserSpeech speech) {
    }

    /** An interim or final transcript of the user. */
    default void onUserTranscript(UserTranscript transcript) {
    }

    /**
     * The caller pressed a key on the phone's keypad. Digits arrive one by one; to hand them to
     * the agent as typed turns, add a {@link DtmfTurns}.
     */
    default void onDtmf(DtmfEvent event) {
    }

    /** A user turn was committed and handed to the agent. */
    default void onUserTurn(long turnId, String text) {
    }

    /**
     * A user turn (spoken or typed) was handed to the agent, with the exact text it answers
     * and the turn's timing. Follows {@link #onUserTurn}.
     */
    default void onTurnCommitted(TurnCommit turn) {
    }

    /**
     * The agent started a reply (to a user turn, {@code sendText}, {@code respond} or
     * {@code generateReply}); the handle tracks its text and playout.
     */
    default void onReply(SpeechHandle reply) {
    }

    /** A piece of the agent's reply was generated, or the text of a {@code say}. */
    default void onAgentText(AgentText text) {
    }

    /** Playback started, paused, resumed, finished or was interrupted. */
    default void onPlayback(PlaybackEvent event) {
    }

    /** Latencies of a finished turn. */
    default void onTurnMetrics(TurnMetrics metrics) {
    }

    /** Something failed. The session keeps running unless the state changes to ENDED. */
    default void onError(SessionException error) {
    }
}
