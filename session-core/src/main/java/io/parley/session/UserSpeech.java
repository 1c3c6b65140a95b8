package io.parley.session;

import java.time.Instant;

/**
 * The voice activity detector heard the user start or stop speaking.
 *
 * @param speaking true at onset, false at offset
 * @param at       when, on the session clock (onset is backdated to the first speech frame)
 */
public record UserSpeech(boolean speaking, Instant at) {
}
