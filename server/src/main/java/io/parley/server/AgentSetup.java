package io.parley.server;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link AgentFactory} knows about the session it makes an agent for.
 *
 * @param sessionId   the session
 * @param type        what the session is for
 * @param title       its title
 * @param description its description
 * @param projectLink the opaque project link given at creation, or null
 * @param context     context documents attached to the session (e.g. an uploaded log), already redacted
 */
public record AgentSetup(String sessionId, SessionType type, String title, String description, String projectLink,
                         List<String> context) {
    public AgentSetup {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        context = List.copyOf(context);
    }
}
