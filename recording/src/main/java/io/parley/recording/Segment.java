package io.parley.recording;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of continuous capture. Audio is only written while capturing, so each start or
 * resume begins a segment that maps wall-clock time onto positions in the audio track.
 *
 * @param startedAt  when capture (re)started
 * @param audioFrame the audio position (in stereo frames) where this segment's audio begins
 */
public record Segment(@JsonProperty("started_at") Instant startedAt, @JsonProperty("audio_frame") long audioFrame) {
    public Segment {
        Objects.requireNonNull(startedAt, "startedAt");
        if (audioFrame < 0) {
            throw new IllegalArgumentException("audioFrame must not be negative, was " + audioFrame);
        }
    }
}
