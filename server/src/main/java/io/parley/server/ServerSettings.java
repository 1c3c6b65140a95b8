package io.parley.server;

import io.parley.session.SessionConfig;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The settings a running server works with, fixed at start. */
record ServerSettings(String nodeId, Clock clock, SpeechProviders speech, SessionConfig sessionConfig, AgentFactory defaultAgent,
                      Map<SessionType, AgentFactory> agents, Map<SessionMode, Duration> limits, Duration leaseTtl,
                      Duration tick, Duration retention, int requestsPerMinute) {

    ServerSettings {
        agents = Map.copyOf(agents.isEmpty() ? new EnumMap<>(SessionType.class) : new EnumMap<>(agents));
        limits = Map.copyOf(limits);
    }

    AgentFactory agentFor(SessionType type) {
        return agents.getOrDefault(type, defaultAgent);
    }

    int minutes(SessionMode mode) {
        Duration d = limits.get(mode);
        return d == null ? mode.defaultMinutes() : (int) Math.max(1, d.toMinutes());
    }
}
