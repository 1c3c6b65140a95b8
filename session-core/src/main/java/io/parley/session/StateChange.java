package io.parley.session;

import java.time.Instant;

/**
 * A state transition.
 *
 * @param sessionId the session
 * @param from      previous state
 * @param to        new state
 * @param at        when, on the session clock
 * @param reason    short machine-friendly cause, e.g. {@code "end_of_turn"}, {@code "barge_in"}, {@code "away_timeout"}
 */
public record StateChange(String sessionId, SessionState from, SessionState to, Instant at, String reason) {
}
