package io.parley.agent.langchain4j;

import io.parley.spi.ExpectedAnswer;
import java.util.Optional;

/**
 * What a running tool may do besides returning a result: end the call after the agent's
 * reply, hand the conversation to another agent, or tell the session what the reply asks for.
 * Passed to {@link ToolHandler}s; an annotated tool method reaches it through {@link #current()}.
 */
public interface ToolContext {

    /** The session the call belongs to. */
    String sessionId();

    /** The user turn being answered. */
    long turnId();

    /**
     * Ends the call once the reply to this turn has been spoken: the agent's
     * {@link LlmAgent.Builder#onEndCall end-call handler} runs after the reply completes.
     */
    void endCall(String reason);

    /**
     * Hands the conversation to {@code next}: from the next model call of this turn on, the
     * chat context's instructions and the tools are {@code next}'s. The model sees the tool's
     * result, then answers as the new agent.
     */
    void handoff(AgentProfile next);

    /**
     * Tells the session what the reply to this turn asks the caller for (a tool the model calls
     * when it asks for a phone number sets {@link ExpectedAnswer#digits()}, one it calls before
     * asking for a day {@link ExpectedAnswer#date()}), so that the caller's answer is not cut at
     * the pauses between digit groups or after the month; see
     * {@link io.parley.session.VoiceSession#expect}. Ignored if the reply is cancelled first.
     *
     * @throws IllegalArgumentException      if {@code answer} is null
     * @throws UnsupportedOperationException if the agent runs where no session can be told (a group member's turn)
     */
    void expect(ExpectedAnswer answer);

    /** The context of the tool running on this thread, if an agent tool is running on it. */
    static Optional<ToolContext> current() {
        return Optional.ofNullable(LlmTurn.CURRENT_TOOL.get());
    }
}
