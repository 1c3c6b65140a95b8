package io.parley.recording.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A legal hold: while it exists the recording cannot be deleted, by retention or by request.
 *
 * @param recording the recording held
 * @param reason    why, e.g. a case number
 * @param placedAt  when it was placed
 */
public record LegalHold(String recording, String reason, @JsonProperty("placed_at") Instant placedAt) {
    public LegalHold {
        Objects.requireNonNull(recording, "recording");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a legal hold needs a reason");
        }
        Objects.requireNonNull(placedAt, "placedAt");
    }
}
