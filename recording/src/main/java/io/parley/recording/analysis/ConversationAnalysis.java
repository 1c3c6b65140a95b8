package io.parley.recording.analysis;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * How a conversation went.
 *
 * @param userTalk          time the user's channel carried speech (from the audio)
 * @param agentTalk         time the agent's channel carried speech
 * @param overlap           time both spoke at once
 * @param silence           time neither spoke
 * @param userTalkRatio     the user's share of all talk time, 0..1 (NaN without any talk)
 * @param turns             user turns
 * @param interruptions     agent replies the user cut short
 * @param responseLatency   user stopped speaking → first agent audio, over all turns that had one
 * @param confidenceMean    mean recognition confidence of user messages, if the recognizer gave any
 * @param confidenceMin     lowest recognition confidence of a user message
 * @param lowConfidenceTurns user messages below the analyzer's confidence threshold
 */
public record ConversationAnalysis(Duration userTalk, Duration agentTalk, Duration overlap, Duration silence,
                                   double userTalkRatio, int turns, int interruptions, LatencyStats responseLatency,
                                   OptionalDouble confidenceMean, OptionalDouble confidenceMin, int lowConfidenceTurns) {
}
