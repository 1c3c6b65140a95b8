package io.parley.recording.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A tag placed in a recording.
 *
 * @param recording   the recording
 * @param label       the tag's text
 * @param seq         the tag event's position in the log
 * @param timestamp   when it was placed
 * @param audioOffset where that is in the audio (seek a player here to jump to it)
 */
public record TagMark(String recording, String label, long seq, Instant timestamp, Duration audioOffset) {
}
