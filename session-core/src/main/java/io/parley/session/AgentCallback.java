package io.parley.session;

/**
 * The simplest agent: given what the user said, return the whole reply. Runs on a thread
 * where blocking (an LLM call) is fine; the session speaks the reply once it returns.
 */
@FunctionalInterface
public interface AgentCallback {

    /**
     * @return the reply; empty or null means "say nothing"
     * @throws Exception any failure, reported to listeners as {@link ErrorCode#AGENT_ERROR}
     */
    String respond(AgentContext context, String transcript) throws Exception;
}
