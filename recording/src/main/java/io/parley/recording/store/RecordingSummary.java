package io.parley.recording.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.parley.recording.RecordingStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One line of a store's listing.
 *
 * @param name         the recording
 * @param createdAt    when it began
 * @param updatedAt    when it last changed (its end once stopped)
 * @param messageCount messages (user, bot and system) it holds
 * @param sizeBytes    bytes it occupies
 * @param userId       the recorded user
 * @param dataClass    its retention class
 * @param status       whether it is still being written
 * @param tags         labels of its tags, in order
 */
public record RecordingSummary(String name, @JsonProperty("created_at") Instant createdAt,
                               @JsonProperty("updated_at") Instant updatedAt,
                               @JsonProperty("message_count") long messageCount,
                               @JsonProperty("size_bytes") long sizeBytes, @JsonProperty("user_id") String userId,
                               @JsonProperty("data_class") String dataClass, RecordingStatus status,
                               List<String> tags) {
    public RecordingSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Time from start to last change. */
    public Duration duration() {
        return Duration.between(createdAt, updatedAt);
    }
}
