package io.parley.recording;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What is known about a recording besides its events and audio. Stored next to them and
 * rewritten atomically whenever it changes, so it never tears.
 *
 * @param name         unique name within the store (letters, digits, {@code . _ -})
 * @param sessionId    the voice session recorded, if any
 * @param userId       who the user is (consent, retention and export-my-data are keyed on it)
 * @param userName     the user's display name
 * @param agentId      the agent's id
 * @param agentName    the agent's display name
 * @param model        the model behind the agent, if known
 * @param dataClass    the retention class, e.g. {@code "default"} or {@code "support"}
 * @param createdAt    when the recording began
 * @param updatedAt    when it last changed (the stop time once stopped)
 * @param status       whether it is still being written
 * @param sampleRate   audio sample rate in Hz, 0 if the recording has no audio
 * @param segments     stretches of continuous capture, oldest first
 * @param compressed   whether stopped files are gzip-compressed
 * @param keyId        id of the encryption key, or null if stored unencrypted
 * @param lateAudioMs  audio that arrived too late to be placed in the track (should stay 0)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordingMetadata(
        String name,
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("user_name") String userName,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("agent_name") String agentName,
        String model,
        @JsonProperty("data_class") String dataClass,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        RecordingStatus status,
        @JsonProperty("sample_rate") int sampleRate,
        List<Segment> segments,
        boolean compressed,
        @JsonProperty("key_id") String keyId,
        @JsonProperty("late_audio_ms") long lateAudioMs) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Names of files a store keeps beside the recordings' folders. */
    private static final List<String> RESERVED = List.of("index.json", "holds.json", "consents.json");

    public RecordingMetadata {
        checkName(name);
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(status, "status");
        segments = segments == null ? List.of() : List.copyOf(segments);
        if (sampleRate != 0 && (sampleRate < 8_000 || sampleRate > 192_000)) {
            throw new IllegalArgumentException("sampleRate must be 0 or within 8000..192000, was " + sampleRate);
        }
    }

    /**
     * Checks a recording name: 1-128 characters, letters, digits, dot, underscore and dash, not
     * starting with a dot, underscore or dash (so names are safe as folder names), and none of the
     * store's own file names ({@code index.json}, {@code holds.json}, {@code consents.json}, {@code *.tmp}).
     *
     * @throws IllegalArgumentException if the name is not acceptable
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("recording name must be 1-128 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, was '" + name + "'");
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (RESERVED.contains(lower) || lower.endsWith(".tmp")) {
            throw new IllegalArgumentException("'" + name + "' is reserved for the store's own files; choose another "
                    + "recording name (reserved: " + String.join(", ", RESERVED) + " and names ending in .tmp)");
        }
        return name;
    }

    /** Time covered from creation to the last change. */
    public Duration duration() {
        return Duration.between(createdAt, updatedAt);
    }

    /** A copy under another name. */
    public RecordingMetadata withName(String newName) {
        return new RecordingMetadata(newName, sessionId, userId, userName, agentId, agentName, model, dataClass,
                createdAt, updatedAt, status, sampleRate, segments, compressed, keyId, lateAudioMs);
    }

    /** A copy with a new status and update time. */
    public RecordingMetadata withStatus(RecordingStatus newStatus, Instant at) {
        return new RecordingMetadata(name, sessionId, userId, userName, agentId, agentName, model, dataClass,
                createdAt, at, newStatus, sampleRate, segments, compressed, keyId, lateAudioMs);
    }

    /** A copy with one more capture segment. */
    public RecordingMetadata withSegment(Segment segment) {
        List<Segment> all = new ArrayList<>(segments);
        all.add(segment);
        return new RecordingMetadata(name, sessionId, userId, userName, agentId, agentName, model, dataClass,
                createdAt, updatedAt, status, sampleRate, all, compressed, keyId, lateAudioMs);
    }

    /** A copy with the storage options and late-audio count set. */
    public RecordingMetadata withStorage(int newSampleRate, boolean newCompressed, String newKeyId, long newLateAudioMs) {
        return new RecordingMetadata(name, sessionId, userId, userName, agentId, agentName, model, dataClass,
                createdAt, updatedAt, status, newSampleRate, segments, newCompressed, newKeyId, newLateAudioMs);
    }

    /**
     * The audio position (in frames) of an instant: inside the latest segment that started at or
     * before it; instants before every segment map into the first one.
     */
    public long audioFrameAt(Instant at) {
        if (sampleRate == 0 || segments.isEmpty()) {
            return 0;
        }
        Segment seg = segments.get(0);
        for (Segment s : segments) {
            if (!s.startedAt().isAfter(at) && (seg.startedAt().isAfter(at) || !s.startedAt().isBefore(seg.startedAt()))) {
                seg = s;
            }
        }
        long nanos = Math.max(0, Duration.between(seg.startedAt(), at).toNanos());
        return seg.audioFrame() + nanos / 1000 * sampleRate / 1_000_000L;
    }
}
