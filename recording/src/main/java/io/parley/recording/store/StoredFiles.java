package io.parley.recording.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * File names inside a recording's folder. A recording is a run of numbered segments: each
 * start or reopen begins a new one, so reopening never rewrites what is already stored. Each
 * segment has an event log, optional audio and a redaction audit, first as append-only journals
 * and, once finished with compression, as packed block files that replace the journals by an
 * atomic rename.
 */
final class StoredFiles {

    /** Metadata (plain JSON, or a sealed line in an encrypted store); replaced atomically. */
    static final String META = "recording.json";
    static final String INDEX = "index.json";
    static final String HOLDS = "holds.json";
    /** Suffix of files being written before their atomic rename; never read, removed on reopen. */
    static final String TMP = ".tmp";

    private static final Pattern SEGMENT = Pattern.compile("(?:events|audio|redactions)(?:-(\\d{4}))?\\..*");

    private StoredFiles() {
    }

    /** Event journal: one line per event (plain JSON or sealed), then an end marker line. */
    static String events(int seg) {
        return name("events", seg, "jsonl");
    }

    /** Packed events: deflated (and sealed) block file of the journal's event lines. */
    static String eventsPacked(int seg) {
        return name("events", seg, "blk");
    }

    /** Audio journal without encryption: a WAV whose header is kept current while recording. */
    static String audioWav(int seg) {
        return name("audio", seg, "wav");
    }

    /** Audio journal with encryption: one sealed block of PCM per write. */
    static String audioSealed(int seg) {
        return name("audio", seg, "pcm.blk");
    }

    /** Packed audio: PCM in one-second deflated (and sealed) blocks. */
    static String audioPacked(int seg) {
        return name("audio", seg, "blk");
    }

    /** Redaction audit journal of a segment. */
    static String redactions(int seg) {
        return name("redactions", seg, "jsonl");
    }

    /** The segment numbers present in {@code dir}, ascending. */
    static TreeSet<Integer> segments(Path dir) throws IOException {
        TreeSet<Integer> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String n = p.getFileName().toString();
                Matcher m = SEGMENT.matcher(n);
                if (m.matches() && !n.endsWith(TMP)) {
                    out.add(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
                }
            });
        }
        return out;
    }

    /**
     * The first segment keeps the plain names ({@code events.jsonl}, {@code audio.wav}) that
     * tools and people look for; later ones are numbered ({@code events-0001.jsonl}).
     */
    private static String name(String base, int seg, String ext) {
        return seg == 0 ? base + "." + ext : String.format("%s-%04d.%s", base, seg, ext);
    }

    static Path tmp(Path p) {
        return p.resolveSibling(p.getFileName() + TMP);
    }
}
