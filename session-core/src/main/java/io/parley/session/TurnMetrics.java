package io.parley.session;

import java.time.Duration;

/**
 * Latencies of one user turn, measured on the session clock. A component is
 * {@code null} when it did not happen (e.g. no audio because the agent said nothing).
 *
 * @param turnId            the turn
 * @param endOfTurnDelay    user stopped speaking → turn committed
 * @param sttFinalDelay     turn committed → final transcript
 * @param agentFirstText    agent invoked → first text
 * @param ttsFirstAudio     first text to the synthesizer → first audio from it
 * @param userToAgentAudio  user stopped speaking → first agent audio handed to the transport
 * @param preemptiveUsed    whether a preemptively generated reply was kept
 */
public record TurnMetrics(long turnId, Duration endOfTurnDelay, Duration sttFinalDelay, Duration agentFirstText,
                          Duration ttsFirstAudio, Duration userToAgentAudio, boolean preemptiveUsed) {
}
