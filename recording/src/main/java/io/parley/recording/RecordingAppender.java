package io.parley.recording;

import io.parley.recording.privacy.RedactionRecord;
import io.parley.recording.privacy.Redactor;
import io.parley.recording.store.RecordingStore;
import io.parley.recording.store.RecordingWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Appends events to a stored recording outside a live session (notes typed in a tool, imported
 * messages): numbers them, redacts them and audits the redactions exactly as
 * {@link SessionRecorder} does. Close it to release the recording.
 */
public final class RecordingAppender implements AutoCloseable {

    private final RecordingWriter writer;
    private final Redactor redactor;
    private long seq;

    private RecordingAppender(RecordingWriter writer, Redactor redactor) {
        this.writer = writer;
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.seq = writer.lastSeq();
    }

    /**
     * Creates a new recording to append to.
     *
     * @throws RecordingException ALREADY_EXISTS for a taken name
     */
    public static RecordingAppender create(RecordingStore store, RecordingMetadata metadata, Redactor redactor) {
        return new RecordingAppender(store.create(metadata), redactor);
    }

    /**
     * Opens an existing recording to append to.
     *
     * @throws RecordingException NOT_FOUND if there is none
     */
    public static RecordingAppender open(RecordingStore store, String name, Redactor redactor) {
        return new RecordingAppender(store.append(name), redactor);
    }

    /** Redacts, numbers and appends {@code event}; returns it as written. */
    public RecordingEvent append(RecordingEvent event) {
        RecordingEvent out = write(writer, redactor, ++seq, event);
        return out;
    }

    /** The recording's metadata. */
    public RecordingMetadata metadata() {
        return writer.metadata();
    }

    /** Replaces the recording's metadata (e.g. its status). */
    public void updateMetadata(RecordingMetadata metadata) {
        writer.updateMetadata(metadata);
    }

    /** Repairs made when the recording was reopened after a crash. */
    public java.util.List<String> repairs() {
        return writer.repairs();
    }

    @Override
    public void close() {
        writer.close();
    }

    /**
     * Redacts every free-text field of an event (content, intended content, the code, which
     * holds a tag's label, and attachment names), numbers it {@code seq}, writes it and audits
     * what was removed.
     */
    static RecordingEvent write(RecordingWriter writer, Redactor redactor, long seq, RecordingEvent e) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        String content = redact(redactor, e.content(), counts);
        String intended = redact(redactor, e.intendedContent(), counts);
        String code = redact(redactor, e.code(), counts);
        List<String> attachments = e.attachments() == null ? null
                : e.attachments().stream().map(a -> redact(redactor, a, counts)).toList();
        RecordingEvent out = e.withContent(content, intended).withCode(code)
                .withModel(e.model(), attachments).withSeq(seq);
        writer.append(out);
        counts.forEach((rule, n) -> writer.audit(new RedactionRecord(out.seq(), out.timestamp(), rule, n)));
        return out;
    }

    private static String redact(Redactor redactor, String text, Map<String, Integer> counts) {
        Redactor.Result r = redactor.redact(text);
        r.counts().forEach((k, v) -> counts.merge(k, v, Integer::sum));
        return r.text();
    }
}
