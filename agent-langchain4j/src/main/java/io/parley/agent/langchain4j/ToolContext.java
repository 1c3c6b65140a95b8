package io.parley.agent.langchain4j;

import java.util.Optional;

/**
 * What a running tool may do besides returning a result: end the call after the agent's
 * reply, or hand the conversation to another agent. Passed to {@link ToolHandler}s; an
 * annotated tool method reaches it through {@link #current()}.
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

    /** The context of the tool running on this thread, if an agent tool is running on it. */
    static Optional<ToolContext> current() {
        return Optional.ofNullable(LlmTurn.CURRENT_TOOL.get());
    }
}
