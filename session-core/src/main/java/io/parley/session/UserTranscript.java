package io.parley.session;

import io.parley.spi.Transcript;
import java.time.Instant;

/**
 * Something the user said, as recognised.
 *
 * @param turnId     the user turn it belongs to
 * @param transcript the recognition result (interim or final)
 * @param at         when it arrived
 */
public record UserTranscript(long turnId, Transcript transcript, Instant at) {
}
