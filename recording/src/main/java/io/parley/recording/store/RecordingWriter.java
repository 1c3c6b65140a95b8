package io.parley.recording.store;

import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.privacy.RedactionRecord;
import java.util.List;

/**
 * Appends to one recording in a {@link RecordingStore}. Used by one thread at a time.
 */
public interface RecordingWriter extends AutoCloseable {

    /** The metadata as last written. */
    RecordingMetadata metadata();

    /** Sequence number of the last event in the log (0 if none). */
    long lastSeq();

    /** Stereo frames already in the audio track. */
    long audioFrames();

    /** Appends an event and makes it durable as the store's {@link FlushPolicy} says before returning. */
    void append(RecordingEvent event);

    /** Appends interleaved stereo samples to the audio track. */
    void appendAudio(short[] samples, int offset, int length);

    /** Replaces the metadata (atomically). */
    void updateMetadata(RecordingMetadata metadata);

    /** Adds a redaction audit entry. */
    void audit(RedactionRecord record);

    /** What had to be repaired when a recording cut off by a crash was reopened; empty normally. */
    default List<String> repairs() {
        return List.of();
    }

    /**
     * Gives up writing after a failure: releases the files without finishing them. A recording
     * from {@link RecordingStore#createStaged} is discarded; any other keeps what was written
     * (and loads as not cleanly stopped). Idempotent; does nothing after {@link #close()}.
     */
    default void abort() {
        close();
    }

    /** Finishes the files (patching, compression) and releases them. Idempotent. */
    @Override
    void close();
}
