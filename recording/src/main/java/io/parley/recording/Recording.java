package io.parley.recording;

import io.parley.recording.audio.AudioTrack;
import io.parley.recording.privacy.RedactionRecord;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A stored recording as loaded: metadata, every readable event in order, the audio (opened on
 * first use) and what loading had to repair.
 */
public final class Recording {

    private final RecordingMetadata metadata;
    private final List<RecordingEvent> events;
    private final Supplier<Optional<AudioTrack>> audioLoader;
    private final List<RedactionRecord> redactions;
    private final LoadReport report;
    private final long sizeBytes;
    private Optional<AudioTrack> audio;

    /**
     * @param audioLoader opens the audio on first use (it may be large)
     * @param sizeBytes   bytes the recording occupies in its store
     */
    public Recording(RecordingMetadata metadata, List<RecordingEvent> events, Supplier<Optional<AudioTrack>> audioLoader,
                     List<RedactionRecord> redactions, LoadReport report, long sizeBytes) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.events = List.copyOf(events);
        this.audioLoader = Objects.requireNonNull(audioLoader, "audioLoader");
        this.redactions = List.copyOf(redactions);
        this.report = Objects.requireNonNull(report, "report");
        this.sizeBytes = sizeBytes;
    }

    public RecordingMetadata metadata() {
        return metadata;
    }

    /** The recording's name. */
    public String name() {
        return metadata.name();
    }

    /** All events, in log order. */
    public List<RecordingEvent> events() {
        return events;
    }

    /**
     * Only what someone said (user, bot and system messages), in time order: a spoken turn is
     * stamped with when speech began, so it can sort before events written earlier; equal times
     * keep their log order.
     */
    public List<RecordingEvent> messages() {
        return events.stream().filter(e -> e.type().isMessage())
                .sorted(java.util.Comparator.comparing(RecordingEvent::timestamp)).toList();
    }

    /** The stereo audio (left user, right agent), if the recording captured audio. */
    public synchronized Optional<AudioTrack> audio() {
        if (audio == null) {
            audio = audioLoader.get();
        }
        return audio;
    }

    /** The redaction audit: what kinds of data were removed from which events. */
    public List<RedactionRecord> redactions() {
        return redactions;
    }

    /** What loading found damaged or incomplete. */
    public LoadReport report() {
        return report;
    }

    /** Bytes on disk (or in whatever the store keeps). */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Time from the start to the last change or stop. */
    public Duration duration() {
        return metadata.duration();
    }

    /** Where an event sits in the audio, from its start. */
    public Duration audioOffset(RecordingEvent event) {
        if (metadata.sampleRate() == 0) {
            return Duration.between(metadata.createdAt(), event.timestamp());
        }
        long frame = metadata.audioFrameAt(event.timestamp());
        return Duration.ofNanos(frame * 1_000_000_000L / metadata.sampleRate());
    }
}
