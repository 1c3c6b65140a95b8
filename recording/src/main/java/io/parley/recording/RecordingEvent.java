package io.parley.recording;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a recording's event log. Absent optional fields are {@code null} and left out
 * of the file.
 *
 * @param seq             position in the log, from 1, gap-free
 * @param timestamp       when it happened (wall clock of the session)
 * @param author          display name of who said it, or {@code "system"}
 * @param authorId        stable id of who said it
 * @param content         the text (redacted before it was written)
 * @param type            what kind of entry this is
 * @param model           the agent model behind a bot response
 * @param attachments     file names or URLs attached to the entry
 * @param turnId          the user turn it belongs to
 * @param speechId        the agent speech it belongs to
 * @param isFinal         for user transcripts: whether this result is final
 * @param interrupted     for bot responses: whether barge-in cut it short
 * @param intendedContent for interrupted bot responses: what the agent meant to say
 * @param confidence      recognition confidence 0..1 of a user transcript
 * @param latenciesMs     per-turn latencies in milliseconds, by name
 * @param code            machine-readable detail: error code, state transition, tag label
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"seq", "timestamp", "author", "author_id", "content", "type", "model", "attachments", "turn_id",
        "speech_id", "final", "interrupted", "intended_content", "confidence", "latencies_ms", "code"})
public record RecordingEvent(
        long seq,
        Instant timestamp,
        String author,
        @JsonProperty("author_id") String authorId,
        String content,
        EventType type,
        String model,
        List<String> attachments,
        @JsonProperty("turn_id") Long turnId,
        @JsonProperty("speech_id") Long speechId,
        @JsonProperty("final") Boolean isFinal,
        Boolean interrupted,
        @JsonProperty("intended_content") String intendedContent,
        Double confidence,
        @JsonProperty("latencies_ms") Map<String, Long> latenciesMs,
        String code) {

    public RecordingEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(content, "content");
        attachments = attachments == null ? null : List.copyOf(attachments);
        latenciesMs = latenciesMs == null ? null : Map.copyOf(latenciesMs);
    }

    /** A minimal event; fill in the rest with the {@code with...} methods. */
    public static RecordingEvent of(EventType type, Instant timestamp, String author, String authorId, String content) {
        return new RecordingEvent(0, timestamp, author, authorId, content, type, null, null, null, null, null, null,
                null, null, null, null);
    }

    /** This event at position {@code seq}. */
    public RecordingEvent withSeq(long seq) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }

    /** This event with other text (and intended text), e.g. after redaction. */
    public RecordingEvent withContent(String content, String intendedContent) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }

    /** This event with turn and speech ids. */
    public RecordingEvent withIds(Long turnId, Long speechId) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }

    /** This event with a model name and attachments. */
    public RecordingEvent withModel(String model, List<String> attachments) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }

    /** This event with transcript details. */
    public RecordingEvent withTranscript(boolean isFinal, Double confidence) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }

    /** This event marked as interrupted, with what was meant to be said. */
    public RecordingEvent withInterrupted(boolean interrupted, String intendedContent) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }

    /** This event with latencies. */
    public RecordingEvent withLatencies(Map<String, Long> latenciesMs) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }

    /** This event with a machine-readable code. */
    public RecordingEvent withCode(String code) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }

    /** This event at another time (used when merging recordings). */
    public RecordingEvent withTimestamp(Instant timestamp) {
        return new RecordingEvent(seq, timestamp, author, authorId, content, type, model, attachments, turnId, speechId,
                isFinal, interrupted, intendedContent, confidence, latenciesMs, code);
    }
}
