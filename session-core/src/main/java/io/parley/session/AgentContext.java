package io.parley.session;

import io.parley.audio.AudioClip;
import io.parley.spi.ConversationTurn;
import io.parley.spi.ExpectedAnswer;
import java.util.List;

/**
 * What an agent knows about the turn it is answering, and how it learns it was cancelled.
 */
public interface AgentContext {

    /** The session's id. */
    String sessionId();

    /** Sequence number of the user turn being answered, starting at 1. */
    long turnId();

    /**
     * The conversation so far, oldest first, ending with the user turn being answered; a
     * {@linkplain #preemptive() preemptive} generation starts before that turn is committed,
     * so its history ends with the turn before. The turn's text is always the
     * {@code transcript} the agent was called with.
     */
    List<ConversationTurn> history();

    /**
     * Instructions for this reply from {@link VoiceSession#generateReply(String)} (e.g. "greet
     * the caller"), empty for a reply to a user turn, which is answered from its transcript.
     */
    default String instructions() {
        return "";
    }

    /**
     * Reports tokens a model call for this reply was billed, so they reach the session's
     * metrics ({@code session.agent.tokens}) and the turn's span. Call once per model call.
     */
    default void recordUsage(int inputTokens, int outputTokens) {
    }

    /**
     * Mixes {@code clip} into the session's outbound audio while this reply is prepared (a
     * "thinking" sound during a slow tool), as {@link VoiceSession#playBackground} does; the
     * clip stops by itself if the reply is cancelled. Contexts that have no outbound audio of
     * their own (a test's, a group member's) do not support it.
     *
     * @throws UnsupportedOperationException if this context cannot play background audio
     */
    default BackgroundHandle playBackground(AudioClip clip, BackgroundOptions options) {
        throw new UnsupportedOperationException("this agent context has no outbound audio to mix into");
    }

    /**
     * Tells the session what this reply asks the user for, as {@link VoiceSession#expect} does
     * (an agent that asks "What's your phone number?" expects {@link ExpectedAnswer#digits()}),
     * unless the reply has been cancelled by then: a reply the user cut off asked for nothing.
     * Contexts that have no session of their own (a test's, a group member's) do not support it.
     *
     * @throws IllegalArgumentException      if {@code answer} is null
     * @throws UnsupportedOperationException if this context has no session to tell
     */
    default void expect(ExpectedAnswer answer) {
        throw new UnsupportedOperationException("this agent context has no session to tell what it expects");
    }

    /** True if this generation started on an interim transcript (preemptive generation). */
    boolean preemptive();

    /** True once the reply is no longer wanted (barge-in, newer turn, session stopped). */
    boolean cancelled();

    /**
     * Runs {@code action} when the reply is cancelled, at once if it already is. Actions run
     * outside the session's event loop and may block briefly (e.g. to abort an HTTP call).
     */
    void onCancel(Runnable action);
}
