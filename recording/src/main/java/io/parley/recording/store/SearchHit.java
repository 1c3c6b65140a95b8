package io.parley.recording.store;

import io.parley.recording.EventType;
import java.time.Duration;
import java.time.Instant;

/**
 * A message that matched a search.
 *
 * @param recording   the recording it is in
 * @param seq         its position in that recording's log
 * @param timestamp   when it was said
 * @param audioOffset where it is in the recording's audio
 * @param author      who said it
 * @param type        what kind of message
 * @param content     the full message
 */
public record SearchHit(String recording, long seq, Instant timestamp, Duration audioOffset, String author,
                        EventType type, String content) {
}
