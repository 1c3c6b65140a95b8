package io.parley.recording.store;

import io.parley.recording.EventType;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where recordings live. {@link FileRecordingStore} is the default; implement this to keep them
 * elsewhere. Search and tags have default implementations on top of {@link #load}.
 */
public interface RecordingStore {

    /**
     * Creates a new, empty recording.
     *
     * @throws io.parley.recording.RecordingException ALREADY_EXISTS if the name is taken
     */
    RecordingWriter create(RecordingMetadata metadata);

    /**
     * Creates a new recording that becomes visible only once its writer is closed, so a crash
     * while it is written (a merge, an import) leaves no partial recording behind. Stores that
     * cannot stage fall back to {@link #create}.
     *
     * @throws io.parley.recording.RecordingException ALREADY_EXISTS if the name is taken
     */
    default RecordingWriter createStaged(RecordingMetadata metadata) {
        return create(metadata);
    }

    /**
     * Reopens a recording to append to it (resume). A recording cut off by a crash is repaired first.
     *
     * @throws io.parley.recording.RecordingException NOT_FOUND if there is none
     */
    RecordingWriter append(String name);

    /** Whether a writer of this store currently has the recording open. */
    boolean isBeingWritten(String name);

    /** Whether a recording of that name exists. */
    boolean exists(String name);

    /** All recordings, newest first. */
    List<RecordingSummary> list();

    /**
     * Loads a recording with every readable event; damage is reported in {@link Recording#report()}.
     *
     * @throws io.parley.recording.RecordingException NOT_FOUND, or DECRYPTION_FAILED for a wrong key
     */
    Recording load(String name);

    /**
     * Deletes a recording.
     *
     * @throws io.parley.recording.RecordingException NOT_FOUND, or LEGAL_HOLD while a hold exists
     */
    void delete(String name);

    /**
     * Renames a recording that is not being written.
     *
     * @throws io.parley.recording.RecordingException NOT_FOUND, ALREADY_EXISTS, or LEGAL_HOLD
     */
    void rename(String from, String to);

    /** Places a legal hold on a recording, replacing any earlier reason. */
    void placeHold(String name, String reason);

    /** Removes a legal hold; harmless if there is none. */
    void releaseHold(String name);

    /** The hold on a recording, if any. */
    Optional<LegalHold> hold(String name);

    /** All holds. */
    List<LegalHold> holds();

    /**
     * Full-text search of messages across all recordings: every whitespace-separated term of
     * {@code query} must occur, ignoring case.
     */
    default List<SearchHit> search(String query) {
        List<SearchHit> hits = new ArrayList<>();
        for (RecordingSummary s : list()) {
            hits.addAll(search(s.name(), query));
        }
        return hits;
    }

    /** Full-text search within one recording, like {@link #search(String)}. */
    default List<SearchHit> search(String name, String query) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("search query must not be blank");
        }
        String[] terms = query.toLowerCase(Locale.ROOT).trim().split("\\s+");
        Recording r = load(name);
        List<SearchHit> hits = new ArrayList<>();
        for (RecordingEvent e : r.events()) {
            if (!e.type().isMessage() && e.type() != EventType.TAG) {
                continue;
            }
            String text = e.content().toLowerCase(Locale.ROOT);
            boolean all = true;
            for (String t : terms) {
                if (!text.contains(t)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                hits.add(new SearchHit(name, e.seq(), e.timestamp(), r.audioOffset(e), e.author(), e.type(), e.content()));
            }
        }
        return hits;
    }

    /** Tags in a recording, in order. */
    default List<TagMark> tags(String name) {
        Recording r = load(name);
        return r.events().stream().filter(e -> e.type() == EventType.TAG)
                .map(e -> new TagMark(name, e.content(), e.seq(), e.timestamp(), r.audioOffset(e))).toList();
    }

    /** The first tag with this label (ignoring case), to jump to. */
    default Optional<TagMark> findTag(String name, String label) {
        return tags(name).stream().filter(t -> t.label().equalsIgnoreCase(label)).findFirst();
    }
}
