package io.parley.session;

import java.time.Duration;

/**
 * How a piece of agent speech ended.
 *
 * @param speechId    the speech
 * @param text        everything the agent meant to say
 * @param playedText  the part the user actually heard (all of it unless interrupted)
 * @param played      audio actually played
 * @param interrupted true if barge-in or cancellation cut it short
 */
public record PlaybackResult(long speechId, String text, String playedText, Duration played, boolean interrupted) {
}
