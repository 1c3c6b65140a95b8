package io.parley.group;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The agent's answer to one turn.
 *
 * @param turn        the turn answered
 * @param text        the reply; for an interrupted reply, what had been generated when it was cut off
 * @param latency     from the end of the turn to the complete reply text
 * @param interrupted true if cut off (newer turn, agent switched off, session stopped)
 * @param at          when the reply completed or was cut off
 */
public record AgentReply(GroupTurn turn, String text, Duration latency, boolean interrupted, Instant at) {
    public AgentReply {
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(at, "at");
    }
}
