package io.parley.recording.store;

import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingJson;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.audio.Wav;
import io.parley.recording.privacy.RedactionRecord;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.security.LineSealer;
import io.parley.recording.security.SealedInputStream;
import io.parley.recording.security.SealedOutputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Appends to a recording folder of a {@link FileRecordingStore}. Events go out with one write
 * call each (no user-space buffering) so a killed process loses at most the event being written.
 */
final class FileRecordingWriter implements RecordingWriter {

    private final FileRecordingStore store;
    private final Path dir;
    private final KeyProvider keys;
    private final LineSealer sealer;
    private final FlushPolicy flushPolicy;
    private final List<String> repairs;
    private RecordingMetadata metadata;
    private FileChannel events;
    private FileChannel redactions;
    private FileChannel wav;
    private SealedOutputStream sealedAudio;
    private long lineIndex;
    private long lastSeq;
    private long audioFrames;
    private byte[] pcm = new byte[0];
    private boolean closed;

    private FileRecordingWriter(FileRecordingStore store, Path dir, RecordingMetadata metadata, KeyProvider keys,
                                FlushPolicy flushPolicy, List<String> repairs) {
        this.store = store;
        this.dir = dir;
        this.metadata = metadata;
        this.keys = metadata.keyId() == null ? null : keys;
        this.sealer = this.keys == null ? null : new LineSealer(this.keys);
        this.flushPolicy = flushPolicy;
        this.repairs = repairs;
    }

    static FileRecordingWriter create(FileRecordingStore store, Path dir, RecordingMetadata m, KeyProvider keys,
                                      FlushPolicy policy) {
        FileRecordingWriter w = new FileRecordingWriter(store, dir, m, keys, policy, new ArrayList<>());
        store.writeMetadata(dir, m);
        try {
            w.openFiles(true);
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
        List<String> repairs = new ArrayList<>();
        FileRecordingWriter w = new FileRecordingWriter(store, dir, m.withStorage(m.sampleRate(), compress,
                m.keyId(), m.lateAudioMs()), keys, policy, repairs);
        try {
            w.restoreJournal(repairs);
            w.openFiles(false);
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
        return audioFrames;
    }

    @Override
    public void append(RecordingEvent event) {
        checkOpen();
        try {
            String json = RecordingJson.mapper().writeValueAsString(event);
            String line = sealer == null ? json : sealer.seal(json, lineIndex);
            writeFully(events, ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            if (flushPolicy == FlushPolicy.EVERY_EVENT_FSYNC) {
                events.force(false);
            }
            lineIndex++;
            lastSeq = event.seq();
        } catch (IOException e) {
            throw FileRecordingStore.io("cannot append to " + dir.resolve(StoredFiles.EVENTS), e);
        }
    }

    @Override
    public void appendAudio(short[] samples, int offset, int length) {
        checkOpen();
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("stereo audio needs an even sample count, got " + length);
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
                sealedAudio.write(pcm, 0, 2 * length);
                sealedAudio.sealChunk();
            } else {
                writeFully(wav, ByteBuffer.wrap(pcm, 0, 2 * length));
            }
            audioFrames += length / 2;
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
            writeFully(redactions, ByteBuffer.wrap((RecordingJson.mapper().writeValueAsString(record) + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
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
                if (wav != null) {
                    Wav.patchSizes(wav, metadata.sampleRate(), 2);
                }
                closeAll();
                if (metadata.compressed()) {
                    compress();
                }
            } catch (IOException e) {
                throw FileRecordingStore.io("cannot finish recording files in " + dir, e);
            }
        } finally {
            store.writerClosed(metadata.name());
        }
    }

    private void openFiles(boolean fresh) throws IOException {
        events = FileChannel.open(dir.resolve(StoredFiles.EVENTS), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        redactions = FileChannel.open(dir.resolve(StoredFiles.REDACTIONS), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (metadata.sampleRate() == 0) {
            return;
        }
        if (keys == null) {
            Path f = dir.resolve(StoredFiles.AUDIO_WAV);
            boolean exists = Files.exists(f);
            wav = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            if (fresh || !exists || wav.size() < Wav.HEADER_BYTES) {
                wav.truncate(0);
                writeFully(wav, ByteBuffer.wrap(Wav.header(metadata.sampleRate(), 2, 0)), 0);
            }
            long data = wav.size() - Wav.HEADER_BYTES;
            if (data % 4 != 0) {
                repairs.add("audio ended in a partial frame; " + data % 4 + " bytes dropped");
                wav.truncate(Wav.HEADER_BYTES + data - data % 4);
            }
            audioFrames = (wav.size() - Wav.HEADER_BYTES) / 4;
            wav.position(wav.size());
        } else {
            Path f = dir.resolve(StoredFiles.AUDIO_SEALED);
            if (fresh || !Files.exists(f)) {
                sealedAudio = new SealedOutputStream(new BufferedOutputStream(Files.newOutputStream(f)), keys);
                sealedAudio.sealChunk();
            } else {
                // A sealed file ends with its final chunk; to append, rewrite it into a fresh open stream.
                byte[] old;
                boolean truncated;
                try (SealedInputStream in = store.sealedAudio(dir, true)) {
                    old = in.readAllBytes();
                    truncated = in.truncated();
                }
                if (truncated) {
                    repairs.add("audio was cut off by a crash; kept " + old.length / 4 + " complete frames");
                }
                Path tmp = dir.resolve(StoredFiles.AUDIO_SEALED + ".tmp");
                sealedAudio = new SealedOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)), keys);
                sealedAudio.write(old, 0, old.length - old.length % 4);
                sealedAudio.sealChunk();
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                audioFrames = old.length / 4;
            }
        }
    }

    /** Brings compressed files back to their appendable form and cuts a torn last event line. */
    private void restoreJournal(List<String> repairs) throws IOException {
        Path ev = dir.resolve(StoredFiles.EVENTS);
        if (!Files.exists(ev) && (Files.exists(dir.resolve(StoredFiles.EVENTS_GZ))
                || Files.exists(dir.resolve(StoredFiles.EVENTS_GZ_SEALED)))) {
            byte[] plain = store.readEventBytes(dir);
            EventLog.Parsed p = EventLog.parse(plain, keys, metadata.name() + " events");
            try (OutputStream out = Files.newOutputStream(ev)) {
                long i = 0;
                for (RecordingEvent e : p.events()) {
                    String json = RecordingJson.mapper().writeValueAsString(e);
                    out.write(((sealer == null ? json : sealer.seal(json, i++)) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            Files.deleteIfExists(dir.resolve(StoredFiles.EVENTS_GZ));
            Files.deleteIfExists(dir.resolve(StoredFiles.EVENTS_GZ_SEALED));
        }
        if (Files.exists(ev)) {
            byte[] bytes = Files.readAllBytes(ev);
            EventLog.Parsed p = EventLog.parse(bytes, keys, metadata.name() + " events");
            if (p.validBytes() < bytes.length) {
                try (FileChannel ch = FileChannel.open(ev, StandardOpenOption.WRITE)) {
                    ch.truncate(p.validBytes());
                }
                repairs.add("event log ended in a torn line (" + (bytes.length - p.validBytes())
                        + " bytes) left by a crash; it was removed");
            }
            repairs.addAll(p.problems().stream().filter(s -> s.contains("unreadable")).toList());
            lineIndex = p.lines();
            lastSeq = p.events().isEmpty() ? 0 : p.events().get(p.events().size() - 1).seq();
        }
        if (metadata.sampleRate() == 0) {
            return;
        }
        Path gz = dir.resolve(StoredFiles.AUDIO_WAV_GZ);
        Path gzSealed = dir.resolve(StoredFiles.AUDIO_WAV_GZ_SEALED);
        if (Files.exists(gz) || Files.exists(gzSealed)) {
            AudioTrack track = store.openAudio(dir, metadata).orElseThrow();
            if (keys == null) {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(StoredFiles.AUDIO_WAV)))) {
                    Wav.write(out, track.sampleRate(), track);
                }
            } else {
                try (SealedOutputStream out = new SealedOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(dir.resolve(StoredFiles.AUDIO_SEALED))), keys)) {
                    short[] buf = new short[2 * 4096];
                    byte[] b = new byte[buf.length * 2];
                    long pos = 0;
                    int n;
                    while ((n = track.read(pos, buf, 4096)) > 0) {
                        Wav.toBytes(buf, 2 * n, b);
                        out.write(b, 0, 4 * n);
                        pos += n;
                    }
                }
            }
            Files.deleteIfExists(gz);
            Files.deleteIfExists(gzSealed);
        }
    }

    private void compress() throws IOException {
        Path ev = dir.resolve(StoredFiles.EVENTS);
        byte[] plain = eventsAsPlainLines(Files.readAllBytes(ev));
        Path evOut = dir.resolve(keys == null ? StoredFiles.EVENTS_GZ : StoredFiles.EVENTS_GZ_SEALED);
        try (OutputStream out = new GZIPOutputStream(sealIfNeeded(Files.newOutputStream(tmp(evOut))))) {
            out.write(plain);
        }
        Files.move(tmp(evOut), evOut, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(ev);
        if (metadata.sampleRate() == 0) {
            return;
        }
        AudioTrack track = store.openAudio(dir, metadata).orElseThrow();
        Path auOut = dir.resolve(keys == null ? StoredFiles.AUDIO_WAV_GZ : StoredFiles.AUDIO_WAV_GZ_SEALED);
        try (OutputStream out = new GZIPOutputStream(sealIfNeeded(Files.newOutputStream(tmp(auOut))), 64 * 1024)) {
            Wav.write(out, track.sampleRate(), track);
        }
        Files.move(tmp(auOut), auOut, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve(StoredFiles.AUDIO_WAV));
        Files.deleteIfExists(dir.resolve(StoredFiles.AUDIO_SEALED));
    }

    private byte[] eventsAsPlainLines(byte[] journal) throws IOException {
        if (keys == null) {
            return journal;
        }
        EventLog.Parsed p = EventLog.parse(journal, keys, metadata.name() + " events");
        ByteArrayOutputStream out = new ByteArrayOutputStream(journal.length);
        for (RecordingEvent e : p.events()) {
            out.write((RecordingJson.mapper().writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private OutputStream sealIfNeeded(OutputStream raw) throws IOException {
        OutputStream buffered = new BufferedOutputStream(raw, 64 * 1024);
        return keys == null ? buffered : new SealedOutputStream(buffered, keys);
    }

    private static Path tmp(Path p) {
        return p.resolveSibling(p.getFileName() + ".tmp");
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

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
    }
}
