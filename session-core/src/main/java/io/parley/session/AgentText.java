package io.parley.session;

import java.time.Instant;

/**
 * A piece of the agent's reply as it was generated (before it is spoken).
 *
 * @param turnId   the user turn it answers, 0 for {@code say}
 * @param speechId the speech it belongs to
 * @param chunk    the text
 * @param at       when it arrived
 */
public record AgentText(long turnId, long speechId, String chunk, Instant at) {
}
