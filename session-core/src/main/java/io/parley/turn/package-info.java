/**
 * End-of-turn detection: {@link io.parley.turn.SilenceTurnDetector}, a fixed silence, and
 * {@link io.parley.turn.AdaptiveTurnDetector}, which reads the transcript and learns the
 * speaker's pauses.
 */
package io.parley.turn;
