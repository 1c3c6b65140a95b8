package io.parley.server;

import io.parley.session.StreamingAgent;

/**
 * Makes the agent of one live session. The server keeps one factory per {@link SessionType}
 * and a default; {@link #offline()} needs no key or network.
 */
@FunctionalInterface
public interface AgentFactory {

    /** An agent for the session described by {@code setup}; called when its live media starts. */
    StreamingAgent create(AgentSetup setup);

    /** The offline agent: answers from the session's context documents and a few fixed intents. */
    static AgentFactory offline() {
        return OfflineAgent::new;
    }
}
