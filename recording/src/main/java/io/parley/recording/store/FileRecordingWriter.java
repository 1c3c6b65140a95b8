package io.parley.recording.store;

import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingJson;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.audio.Wav;
import io.parley.recording.privacy.RedactionRecord;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.security.LineSealer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends to a recording folder of a {@link FileRecordingStore}, in a new segment of its own
 * (see {@link StoredFiles}): what earlier segments hold is never rewritten in place. Events go
 * out with one write call each (no user-space buffering) so a killed process loses at most the
 * event being written; the WAV header is brought up to date every second of audio so standard
 * players read a killed recording too.
 */
final class FileRecordingWriter implements RecordingWriter {

    private final FileRecordingStore store;
    private final Path dir;
    private final KeyProvider keys;
    private final LineSealer sealer;
    private final FlushPolicy flushPolicy;
    private final List<String> repairs;
    private final int segment;
    private final long framesBefore;
    private RecordingMetadata metadata;
    private FileChannel events;
    private FileChannel redactions;
    private FileChannel wav;
    private BlockFile.Writer sealedAudio;
    private long lineIndex;
    private long auditIndex;
    private long segmentEvents;
    private long lastSeq;
    private long segmentFrames;
    private long framesAtPatch;
    private byte[] pcm = new byte[0];
    private boolean closed;

    private FileRecordingWriter(FileRecordingStore store, Path dir, RecordingMetadata metadata, KeyProvider keys,
                                FlushPolicy flushPolicy, List<String> repairs, int segment, long framesBefore,
                                long lastSeq) {
        this.store = store;
        this.dir = dir;
        this.metadata = metadata;
        this.keys = metadata.keyId() == null ? null : keys;
        this.sealer = this.keys == null ? null : new LineSealer(this.keys);
        this.flushPolicy = flushPolicy;
        this.repairs = repairs;
        this.segment = segment;
        this.framesBefore = framesBefore;
        this.lastSeq = lastSeq;
    }

    static FileRecordingWriter create(FileRecordingStore store, Path dir, RecordingMetadata m, KeyProvider keys,
                                      FlushPolicy policy) {
        FileRecordingWriter w = new FileRecordingWriter(store, dir, m, keys, policy, new ArrayList<>(), 0, 0, 0);
        store.writeMetadata(dir, m);
        try {
            w.openFiles();
        } catch (IOException e) {
            w.closeQuietlyAfter(e);
            throw FileRecordingStore.io("cannot create recording files in " + dir, e);
        }
        return w;
    }

    static FileRecordingWriter reopen(FileRecordingStore store, Path dir, RecordingMetadata m, KeyProvider keys,
                                      FlushPolicy policy, boolean compress) {
        if (m.keyId() != null && keys == null) {
            throw new RecordingException(Problem.DECRYPTION_FAILED, "recording '" + m.name()
                    + "' is encrypted but the store has no KeyProvider");
        }
        if (m.keyId() == null && keys != null) {
            throw new RecordingException(Problem.WRONG_STATE, "recording '" + m.name()
                    + "' is stored unencrypted; appending to it from an encrypting store would mix both");
        }
        RecordingMetadata next = m.withStorage(m.sampleRate(), compress, m.keyId(), m.lateAudioMs());
        KeyProvider k = m.keyId() == null ? null : keys;
        List<String> repairs = new ArrayList<>();
        SegmentFiles.Finished before;
        try {
            before = SegmentFiles.finishAll(dir, k, m.sampleRate(), repairs);
        } catch (IOException e) {
            throw FileRecordingStore.io("cannot reopen recording " + m.name(), e);
        }
        FileRecordingWriter w = new FileRecordingWriter(store, dir, next, keys, policy, repairs, before.nextSegment(),
                before.frames(), before.lastSeq());
        try {
            w.openFiles();
        } catch (IOException e) {
            w.closeQuietlyAfter(e);
            throw FileRecordingStore.io("cannot reopen recording " + m.name(), e);
        }
        return w;
    }

    @Override
    public List<String> repairs() {
        return List.copyOf(repairs);
    }

    @Override
    public RecordingMetadata metadata() {
        return metadata;
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public long audioFrames() {
        return framesBefore + segmentFrames;
    }

    @Override
    public void append(RecordingEvent event) {
        checkOpen();
        try {
            writeLine(events, RecordingJson.mapper().writeValueAsString(event), lineIndex);
            if (flushPolicy == FlushPolicy.EVERY_EVENT_FSYNC) {
                events.force(false);
            }
            lineIndex++;
            segmentEvents++;
            lastSeq = event.seq();
        } catch (IOException e) {
            throw FileRecordingStore.io("cannot append to " + dir.resolve(StoredFiles.events(segment)), e);
        }
    }

    @Override
    public void appendAudio(short[] samples, int offset, int length) {
        checkOpen();
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("stereo audio needs an even sample count, got " + length);
        }
        if (metadata.sampleRate() == 0) {
            throw new RecordingException(Problem.WRONG_STATE, "recording '" + metadata.name() + "' has no audio track");
        }
        if (pcm.length < 2 * length) {
            pcm = new byte[2 * length];
        }
        for (int i = 0; i < length; i++) {
            short s = samples[offset + i];
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        try {
            if (sealedAudio != null) {
                sealedAudio.block(pcm, 0, 2 * length);
            } else {
                writeFully(wav, ByteBuffer.wrap(pcm, 0, 2 * length));
            }
            segmentFrames += length / 2;
            if (wav != null && segmentFrames - framesAtPatch >= metadata.sampleRate()) {
                Wav.patchSizes(wav, metadata.sampleRate(), 2);
                framesAtPatch = segmentFrames;
            }
        } catch (IOException e) {
            throw FileRecordingStore.io("cannot append audio to " + dir, e);
        }
    }

    @Override
    public void updateMetadata(RecordingMetadata m) {
        checkOpen();
        this.metadata = m;
        store.writeMetadata(dir, m);
    }

    @Override
    public void audit(RedactionRecord record) {
        checkOpen();
        try {
            writeLine(redactions, RecordingJson.mapper().writeValueAsString(record), auditIndex++);
        } catch (IOException e) {
            throw FileRecordingStore.io("cannot append to redaction audit of " + dir, e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            try {
                writeLine(events, EventLog.endMarker(segmentEvents), lineIndex++);
                events.force(false);
                if (wav != null) {
                    Wav.patchSizes(wav, metadata.sampleRate(), 2);
                    wav.force(false);
                }
                if (sealedAudio != null) {
                    sealedAudio.finish(segmentFrames);
                }
                closeAll();
                if (metadata.compressed()) {
                    // This segment, and any earlier one a crash left as a journal (repaired on reopen).
                    for (int seg : StoredFiles.segments(dir)) {
                        SegmentFiles.pack(dir, keys, metadata.sampleRate(), seg);
                    }
                }
            } catch (IOException e) {
                throw FileRecordingStore.io("cannot finish recording files in " + dir, e);
            }
        } finally {
            store.writerClosed(metadata.name());
        }
    }

    @Override
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeAll();
        } catch (IOException e) {
            throw FileRecordingStore.io("cannot release recording files in " + dir, e);
        } finally {
            store.writerClosedWithoutIndex(metadata.name());
        }
    }

    private void openFiles() throws IOException {
        events = FileChannel.open(dir.resolve(StoredFiles.events(segment)), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        redactions = FileChannel.open(dir.resolve(StoredFiles.redactions(segment)), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (metadata.sampleRate() == 0) {
            return;
        }
        if (keys == null) {
            wav = FileChannel.open(dir.resolve(StoredFiles.audioWav(segment)), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
            writeFully(wav, ByteBuffer.wrap(Wav.header(metadata.sampleRate(), 2, 0)));
        } else {
            sealedAudio = BlockFile.Writer.create(dir.resolve(StoredFiles.audioSealed(segment)), false, keys);
        }
    }

    private void writeLine(FileChannel ch, String json, long index) throws IOException {
        String line = sealer == null ? json : sealer.seal(json, EventLog.lineIndex(segment, index));
        writeFully(ch, ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private void checkOpen() {
        if (closed) {
            throw new RecordingException(Problem.WRONG_STATE, "recording '" + metadata.name() + "' writer is closed");
        }
    }

    private void closeAll() throws IOException {
        IOException first = null;
        for (Closeable c : new Closeable[] {events, redactions, wav, sealedAudio}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void closeQuietlyAfter(IOException cause) {
        try {
            closeAll();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        store.writerClosedWithoutIndex(metadata.name());
    }

    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    static boolean exists(Path dir, String name) {
        return Files.exists(dir.resolve(name));
    }
}
