package io.parley.recording.store;

import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingJson;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.audio.FileAudioTrack;
import io.parley.recording.audio.Wav;
import io.parley.recording.privacy.RedactionRecord;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.security.LineSealer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reading, finishing and packing a recording's segments. Every change to stored data is either
 * an append to a journal or a new file renamed atomically into place after it was forced to
 * disk, and readers prefer a packed file only when it is complete (it can only appear complete,
 * by that rename), so a kill at any moment leaves every confirmed event readable.
 */
final class SegmentFiles {

    private static final int EVENT_BLOCK = 64 * 1024;

    /** What finishing the existing segments found. */
    record Finished(int nextSegment, long frames, long lastSeq) {
    }

    /** What reading a recording's events found. */
    record EventsRead(int tornLines, int damagedLines, boolean truncated, List<String> problems) {
    }

    private SegmentFiles() {
    }

    /**
     * Brings every segment to a finished state before a new one is added: removes temporary
     * files of interrupted packing, removes journals whose packed copy is complete, cuts torn
     * tails and closes journals that a crash left open. Each repair is described in {@code repairs}.
     */
    static Finished finishAll(Path dir, KeyProvider keys, int sampleRate, List<String> repairs) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(StoredFiles.TMP)).toList()) {
                Files.delete(p);
                repairs.add("removed " + p.getFileName() + ", left by an interrupted write");
            }
        }
        java.util.NavigableSet<Integer> segs = StoredFiles.segments(dir);
        long frames = 0;
        for (int seg : segs) {
            if (seg != segs.last()) {
                dropPackedJournal(dir, keys, seg, repairs);
            }
            if (sampleRate > 0) {
                frames += finishAudio(dir, keys, seg, repairs);
            }
        }
        // Only the last segment can have been left open by a crash; earlier ones were finished by
        // the reopen that followed them. The last sequence number is in the last segment with events.
        long lastSeq = 0;
        for (int seg : segs.descendingSet()) {
            long seq = seg == segs.last() ? finishEvents(dir, keys, seg, repairs) : lastSeq(dir, keys, seg);
            if (seq > 0) {
                lastSeq = seq;
                break;
            }
        }
        int next = segs.isEmpty() ? 0 : segs.last() + 1;
        return new Finished(next, frames, lastSeq);
    }

    /** Removes a journal whose packed copy is complete (a crash between packing and removing it). */
    private static void dropPackedJournal(Path dir, KeyProvider keys, int seg, List<String> repairs) throws IOException {
        Path packed = dir.resolve(StoredFiles.eventsPacked(seg));
        Path journal = dir.resolve(StoredFiles.events(seg));
        if (Files.exists(packed) && Files.exists(journal)) {
            finishEvents(dir, keys, seg, repairs);
        }
    }

    private static long lastSeq(Path dir, KeyProvider keys, int seg) throws IOException {
        long[] last = {0};
        Path packed = dir.resolve(StoredFiles.eventsPacked(seg));
        Path journal = dir.resolve(StoredFiles.events(seg));
        if (Files.exists(packed)) {
            try (BlockFile.Reader r = BlockFile.Reader.open(packed, keys, packed.getFileName().toString())) {
                EventLog.read(r.stream(), null, seg, packed.getFileName().toString(), e -> last[0] = e.seq());
            }
        } else if (Files.exists(journal)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(journal))) {
                EventLog.read(in, keys, seg, journal.getFileName().toString(), e -> last[0] = e.seq());
            }
        }
        return last[0];
    }

    private static long finishEvents(Path dir, KeyProvider keys, int seg, List<String> repairs) throws IOException {
        Path packed = dir.resolve(StoredFiles.eventsPacked(seg));
        Path journal = dir.resolve(StoredFiles.events(seg));
        long[] lastSeq = {0};
        if (Files.exists(packed)) {
            try (BlockFile.Reader r = BlockFile.Reader.open(packed, keys, packed.getFileName().toString())) {
                if (r.index().ended() && r.index().problem() == null) {
                    EventLog.read(r.stream(), null, seg, packed.getFileName().toString(), e -> lastSeq[0] = e.seq());
                    if (Files.deleteIfExists(journal)) {
                        repairs.add("removed " + journal.getFileName() + ": its packed copy was already complete");
                    }
                    return lastSeq[0];
                }
            }
        }
        if (!Files.exists(journal)) {
            return 0;
        }
        EventLog.Summary s;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(journal))) {
            s = EventLog.read(in, keys, seg, journal.getFileName().toString(), e -> lastSeq[0] = e.seq());
        }
        if (!s.ended()) {
            long size = Files.size(journal);
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                ch.truncate(s.validBytes());
                String json = EventLog.endMarker(s.events());
                String line = keys == null ? json : new LineSealer(keys).seal(json, EventLog.lineIndex(seg, s.lines()));
                ch.position(s.validBytes());
                FileRecordingWriter.writeFully(ch, ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(false);
            }
            repairs.add(journal.getFileName() + " was cut off by a crash after " + s.events() + " events"
                    + (size > s.validBytes() ? "; a torn line of " + (size - s.validBytes()) + " bytes was removed" : "")
                    + "; it was closed");
        }
        return lastSeq[0];
    }

    private static long finishAudio(Path dir, KeyProvider keys, int seg, List<String> repairs) throws IOException {
        Path packed = dir.resolve(StoredFiles.audioPacked(seg));
        Path wav = dir.resolve(StoredFiles.audioWav(seg));
        Path sealed = dir.resolve(StoredFiles.audioSealed(seg));
        if (Files.exists(packed)) {
            try (BlockFile.Reader r = BlockFile.Reader.open(packed, keys, packed.getFileName().toString())) {
                if (r.index().ended() && r.index().problem() == null) {
                    for (Path p : new Path[] {wav, sealed}) {
                        if (Files.deleteIfExists(p)) {
                            repairs.add("removed " + p.getFileName() + ": its packed copy was already complete");
                        }
                    }
                    return r.index().plainBytes() / 4;
                }
            }
        }
        if (Files.exists(wav)) {
            try (FileChannel ch = FileChannel.open(wav, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                long data = Math.max(0, ch.size() - Wav.HEADER_BYTES);
                if (data % 4 != 0) {
                    ch.truncate(Wav.HEADER_BYTES + data - data % 4);
                    repairs.add(wav.getFileName() + " ended in a partial frame; " + data % 4 + " bytes dropped");
                }
                ByteBuffer h = ByteBuffer.allocate(Wav.HEADER_BYTES);
                ch.read(h, 0);
                int rate = ByteBuffer.wrap(h.array()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(24);
                Wav.patchSizes(ch, rate, 2);
                ch.force(false);
                return (ch.size() - Wav.HEADER_BYTES) / 4;
            }
        }
        if (Files.exists(sealed)) {
            BlockFile.Index idx;
            try (BlockFile.Reader r = BlockFile.Reader.open(sealed, keys, sealed.getFileName().toString())) {
                idx = r.index();
            }
            if (!idx.ended()) {
                try (BlockFile.Writer w = BlockFile.Writer.resume(sealed, idx, keys)) {
                    w.finish(idx.plainBytes() / 4);
                }
                repairs.add(sealed.getFileName() + " was cut off by a crash; kept " + idx.plainBytes() / 4
                        + " frames in " + idx.blocks() + " complete blocks and closed it");
            }
            return idx.plainBytes() / 4;
        }
        return 0;
    }

    /**
     * Packs a finished segment: events and audio are streamed into deflated (and, with keys,
     * sealed) block files written under a temporary name, forced to disk and renamed into
     * place; only then are the journals removed.
     */
    static void pack(Path dir, KeyProvider keys, int sampleRate, int seg) throws IOException {
        Path journal = dir.resolve(StoredFiles.events(seg));
        Path packed = dir.resolve(StoredFiles.eventsPacked(seg));
        if (Files.exists(journal) && !Files.exists(packed)) {
            Path tmp = StoredFiles.tmp(packed);
            Files.deleteIfExists(tmp);
            try (BlockFile.Writer w = BlockFile.Writer.create(tmp, true, keys);
                 InputStream in = new BufferedInputStream(Files.newInputStream(journal))) {
                ByteArrayOutputStream block = new ByteArrayOutputStream(EVENT_BLOCK + 4096);
                long[] count = {0};
                EventLog.read(in, keys, seg, journal.getFileName().toString(), e -> {
                    try {
                        block.write(RecordingJson.mapper().writeValueAsBytes(e));
                        block.write('\n');
                        count[0]++;
                        if (block.size() >= EVENT_BLOCK) {
                            w.block(block.toByteArray(), 0, block.size());
                            block.reset();
                        }
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                });
                // The packed log ends with the same end marker as the journal, inside the sealed blocks.
                block.write((EventLog.endMarker(count[0]) + "\n").getBytes(StandardCharsets.UTF_8));
                w.block(block.toByteArray(), 0, block.size());
                w.finish(count[0]);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            publish(tmp, packed);
            Files.delete(journal);
        }
        if (sampleRate == 0) {
            return;
        }
        Path audio = dir.resolve(StoredFiles.audioPacked(seg));
        Path wav = dir.resolve(StoredFiles.audioWav(seg));
        Path sealed = dir.resolve(StoredFiles.audioSealed(seg));
        Optional<AudioTrack> source = Files.exists(wav) ? Optional.of(new FileAudioTrack(wav))
                : Files.exists(sealed) ? Optional.of(blockTrack(sealed, keys, sampleRate)) : Optional.empty();
        if (source.isEmpty() || Files.exists(audio)) {
            return;
        }
        Path tmp = StoredFiles.tmp(audio);
        Files.deleteIfExists(tmp);
        AudioTrack track = source.get();
        try (BlockFile.Writer w = BlockFile.Writer.create(tmp, true, keys)) {
            int perBlock = sampleRate;
            short[] s = new short[2 * perBlock];
            byte[] b = new byte[4 * perBlock];
            long pos = 0;
            while (pos < track.frames()) {
                int n = 0;
                while (n < perBlock) {
                    int got = readInto(track, pos + n, s, n, perBlock - n);
                    if (got == 0) {
                        break;
                    }
                    n += got;
                }
                if (n == 0) {
                    break;
                }
                Wav.toBytes(s, 2 * n, b);
                w.block(b, 0, 4 * n);
                pos += n;
            }
            w.finish(pos);
        }
        publish(tmp, audio);
        Files.deleteIfExists(wav);
        Files.deleteIfExists(sealed);
    }

    private static int readInto(AudioTrack t, long from, short[] dst, int atFrame, int max) {
        short[] tmp = new short[2 * max];
        int got = t.read(from, tmp, max);
        System.arraycopy(tmp, 0, dst, 2 * atFrame, 2 * got);
        return got;
    }

    /** Forces {@code tmp} to disk and renames it to {@code target} atomically, then syncs the folder. */
    static void publish(Path tmp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir(target.getParent());
    }

    static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignoredOnPlatformsWithoutDirectorySync) {
            // Some file systems refuse to sync a directory; the rename itself is still atomic there.
            return;
        }
    }

    static BlockAudioTrack blockTrack(Path file, KeyProvider keys, int sampleRate) throws IOException {
        try (BlockFile.Reader r = BlockFile.Reader.open(file, keys, file.getFileName().toString())) {
            return new BlockAudioTrack(file, keys, sampleRate, r.index());
        }
    }

    /** Streams every event of every segment into {@code sink}, in order, and says what was damaged. */
    static EventsRead readEvents(Path dir, KeyProvider keys, String name, Consumer<RecordingEvent> sink)
            throws IOException {
        int torn = 0;
        int damaged = 0;
        boolean truncated = false;
        List<String> problems = new ArrayList<>();
        for (int seg : StoredFiles.segments(dir)) {
            Path packed = dir.resolve(StoredFiles.eventsPacked(seg));
            Path journal = dir.resolve(StoredFiles.events(seg));
            String what = name + " " + (Files.exists(packed) ? packed : journal).getFileName();
            EventLog.Summary s = null;
            if (Files.exists(packed)) {
                try (BlockFile.Reader r = BlockFile.Reader.open(packed, keys, what)) {
                    BlockFile.Index idx = r.index();
                    boolean complete = idx.ended() && idx.problem() == null;
                    if (complete || !Files.exists(journal)) {
                        s = EventLog.read(r.stream(), null, seg, what, sink);
                        if (!complete) {
                            truncated = true;
                            problems.add(what + " " + idx.problem());
                        } else if (idx.items() != s.events()) {
                            truncated = true;
                            problems.add(what + " holds " + s.events() + " events but its end record says " + idx.items());
                        }
                    } else {
                        problems.add(what + " " + idx.problem() + "; read its journal instead");
                    }
                }
            }
            if (s == null && Files.exists(journal)) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(journal))) {
                    s = EventLog.read(in, keys, seg, name + " " + journal.getFileName(), sink);
                }
            }
            if (s == null) {
                continue;
            }
            torn += s.tornLines();
            damaged += s.damagedLines();
            truncated |= !s.ended();
            problems.addAll(s.problems());
        }
        return new EventsRead(torn, damaged, truncated, problems);
    }

    /** The audio of every segment, one track; problems with it are added to {@code problems}. */
    static Optional<AudioTrack> readAudio(Path dir, KeyProvider keys, int sampleRate, String name, List<String> problems,
                                          boolean[] truncated) throws IOException {
        List<AudioTrack> parts = new ArrayList<>();
        for (int seg : StoredFiles.segments(dir)) {
            Path packed = dir.resolve(StoredFiles.audioPacked(seg));
            Path wav = dir.resolve(StoredFiles.audioWav(seg));
            Path sealed = dir.resolve(StoredFiles.audioSealed(seg));
            if (Files.exists(packed)) {
                BlockAudioTrack t = blockTrack(packed, keys, sampleRate);
                BlockFile.Index idx = t.index();
                boolean complete = idx.ended() && idx.problem() == null;
                if (complete || !(Files.exists(wav) || Files.exists(sealed))) {
                    if (!complete) {
                        truncated[0] = true;
                        problems.add(name + " " + packed.getFileName() + " " + idx.problem());
                    }
                    parts.add(t);
                    continue;
                }
            }
            if (Files.exists(wav)) {
                long data = Math.max(0, Files.size(wav) - Wav.HEADER_BYTES);
                if (data % 4 != 0) {
                    truncated[0] = true;
                    problems.add(name + " " + wav.getFileName() + " ends in a partial frame (" + data % 4
                            + " bytes, cut off); the complete frames are kept");
                }
                parts.add(new FileAudioTrack(wav));
            } else if (Files.exists(sealed)) {
                BlockAudioTrack t = blockTrack(sealed, keys, sampleRate);
                BlockFile.Index idx = t.index();
                if (!idx.ended() || idx.problem() != null) {
                    truncated[0] = true;
                    problems.add(name + " " + sealed.getFileName() + " " + idx.problem()
                            + "; everything up to the last complete block is kept");
                }
                parts.add(t);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(new SegmentedAudioTrack(sampleRate, parts));
    }

    /** The redaction audit of every segment (a torn last line of a crashed segment is skipped). */
    static List<RedactionRecord> readRedactions(Path dir, KeyProvider keys) throws IOException {
        List<RedactionRecord> out = new ArrayList<>();
        for (int seg : StoredFiles.segments(dir)) {
            Path f = dir.resolve(StoredFiles.redactions(seg));
            if (!Files.exists(f)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
                long i = 0;
                for (String line : (Iterable<String>) lines::iterator) {
                    long index = i++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        String json = LineSealer.isSealed(line)
                                ? LineSealer.open(keys, line, EventLog.lineIndex(seg, index)) : line;
                        out.add(RecordingJson.mapper().readValue(json, RedactionRecord.class));
                    } catch (IOException | RuntimeException torn) {
                        // a line cut by a crash; the audit only counts removals, the events themselves are intact
                        continue;
                    }
                }
            }
        }
        return out;
    }
}
