package io.parley.recording.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.parley.recording.EventType;
import io.parley.recording.LoadReport;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingJson;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.RecordingStatus;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.privacy.RedactionRecord;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.security.LineSealer;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The default {@link RecordingStore}: one folder per recording under a root folder, plus an
 * {@code index.json} listing them and a {@code holds.json} of legal holds.
 *
 * <p>A recording folder holds {@code recording.json} (metadata, replaced atomically), the event
 * log {@code events.jsonl} (one JSON object per line, each written with a single write call as
 * it happens), the audio {@code audio.wav} and the redaction audit {@code redactions.jsonl}. With
 * a {@link KeyProvider}, every event line is sealed individually with AES-256-GCM and the audio is
 * written in sealed chunks, so nothing readable reaches the disk; with compression, stopped
 * recordings are gzipped (then sealed, if encrypted). The metadata and audit stay readable: they
 * hold no conversation content.
 *
 * <p>One process should write a store at a time; within a process the store is thread-safe.
 */
public final class FileRecordingStore implements RecordingStore {

    /** Prefix of folders being deleted: moved aside atomically first, removed on the next open if a crash interrupted. */
    private static final String DELETED = ".deleted-";
    /** Prefix of folders of recordings created with {@link #createStaged}, until they are complete. */
    private static final String STAGING = ".staging-";

    private final Path root;
    private final boolean compress;
    private final KeyProvider keys;
    private final FlushPolicy flushPolicy;
    private final Clock wallClock;
    private final Set<String> writing = new HashSet<>();
    private final Map<String, Path> staged = new java.util.HashMap<>();

    private FileRecordingStore(Builder b) {
        this.root = b.root;
        this.compress = b.compress;
        this.keys = b.keys;
        this.flushPolicy = b.flushPolicy;
        this.wallClock = b.wallClock;
        try {
            Files.createDirectories(root);
            try (Stream<Path> leftovers = Files.list(root)) {
                for (Path p : leftovers.filter(p -> p.getFileName().toString().startsWith(DELETED)
                        || p.getFileName().toString().startsWith(STAGING)).toList()) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw io("cannot create store folder " + root, e);
        }
    }

    /** A store under {@code root} with default options (no compression, no encryption, flush every event). */
    public static FileRecordingStore open(Path root) {
        return builder(root).build();
    }

    /** Options for a store under {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** The root folder. */
    public Path root() {
        return root;
    }

    /** The key provider, if the store encrypts. */
    public Optional<KeyProvider> keys() {
        return Optional.ofNullable(keys);
    }

    @Override
    public synchronized RecordingWriter create(RecordingMetadata metadata) {
        return create(metadata, dirOf(metadata.name()));
    }

    /**
     * Writes the new recording in a hidden staging folder that is renamed to its name atomically
     * when the writer closes; a crash before that leaves nothing visible (the folder is removed
     * the next time the store opens).
     */
    @Override
    public synchronized RecordingWriter createStaged(RecordingMetadata metadata) {
        Path staging = root.resolve(STAGING + metadata.name() + "-" + System.nanoTime());
        RecordingWriter w = create(metadata, staging);
        staged.put(metadata.name(), staging);
        return w;
    }

    private RecordingWriter create(RecordingMetadata metadata, Path dir) {
        if (Files.exists(dirOf(metadata.name())) || writing.contains(metadata.name())) {
            throw new RecordingException(Problem.ALREADY_EXISTS, "a recording named '" + metadata.name() + "' already exists");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw io("cannot create " + dir, e);
        }
        RecordingMetadata m = metadata.withStorage(metadata.sampleRate(), compress,
                keys == null ? null : keys.currentKeyId(), metadata.lateAudioMs());
        writing.add(m.name());
        try {
            return FileRecordingWriter.create(this, dir, m, keys, flushPolicy);
        } catch (RuntimeException e) {
            writing.remove(m.name());
            throw e;
        }
    }

    @Override
    public synchronized RecordingWriter append(String name) {
        Path dir = existing(name);
        if (writing.contains(name)) {
            throw new RecordingException(Problem.WRONG_STATE, "recording '" + name + "' is already being written");
        }
        RecordingMetadata m = readMetadata(dir);
        writing.add(name);
        try {
            return FileRecordingWriter.reopen(this, dir, m, keys, flushPolicy, compress);
        } catch (RuntimeException e) {
            writing.remove(name);
            throw e;
        }
    }

    @Override
    public synchronized boolean isBeingWritten(String name) {
        return writing.contains(name);
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(dirOf(name).resolve(StoredFiles.META));
    }

    @Override
    public synchronized List<RecordingSummary> list() {
        Map<String, RecordingSummary> index = readIndex();
        Map<String, RecordingSummary> fresh = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(p -> !p.getFileName().toString().startsWith(".")
                    && Files.isRegularFile(p.resolve(StoredFiles.META))).toList()) {
                String name = dir.getFileName().toString();
                RecordingMetadata m = readMetadata(dir);
                RecordingSummary known = index.get(name);
                boolean upToDate = known != null && m.status() == RecordingStatus.STOPPED
                        && known.status() == RecordingStatus.STOPPED && known.updatedAt().equals(m.updatedAt())
                        && !writing.contains(name);
                fresh.put(name, upToDate ? known : summarize(load(name)));
            }
        } catch (IOException e) {
            throw io("cannot list " + root, e);
        }
        if (!fresh.equals(index)) {
            writeJson(root.resolve(StoredFiles.INDEX), fresh);
        }
        return fresh.values().stream().sorted(Comparator.comparing(RecordingSummary::createdAt).reversed()).toList();
    }

    @Override
    public Recording load(String name) {
        Path dir = existing(name);
        RecordingMetadata m = readMetadata(dir);
        List<String> problems = new ArrayList<>();
        boolean clean = m.status() == RecordingStatus.STOPPED;
        if (!clean) {
            problems.add("recording was not stopped cleanly (status " + m.status() + "); showing what was saved");
        }
        KeyProvider k = m.keyId() == null ? null : keys;
        if (m.keyId() != null && keys == null) {
            throw new RecordingException(Problem.DECRYPTION_FAILED, "recording '" + name + "' is encrypted with key '"
                    + m.keyId() + "' but no KeyProvider is configured");
        }
        try {
            List<RecordingEvent> events = new ArrayList<>();
            SegmentFiles.EventsRead read = SegmentFiles.readEvents(dir, k, name, events::add);
            problems.addAll(read.problems());
            boolean[] audioTruncated = {false};
            Optional<AudioTrack> audio = m.sampleRate() == 0 ? Optional.empty()
                    : SegmentFiles.readAudio(dir, k, m.sampleRate(), name, problems, audioTruncated);
            List<RedactionRecord> redactions = SegmentFiles.readRedactions(dir, k);
            LoadReport report = new LoadReport(clean, read.tornLines(), read.damagedLines(), audioTruncated[0],
                    read.truncated(), problems);
            return new Recording(m, events, () -> audio, redactions, report, sizeOf(dir));
        } catch (IOException e) {
            throw new RecordingException(Problem.CORRUPT, "cannot read recording '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void delete(String name) {
        Path dir = existing(name);
        Optional<LegalHold> h = hold(name);
        if (h.isPresent()) {
            throw new RecordingException(Problem.LEGAL_HOLD, "recording '" + name + "' is under legal hold ("
                    + h.get().reason() + ") and cannot be deleted");
        }
        if (writing.contains(name)) {
            throw new RecordingException(Problem.WRONG_STATE, "recording '" + name + "' is being written; stop it first");
        }
        Path doomed = root.resolve(DELETED + name + "-" + System.nanoTime());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw io("cannot delete " + dir, e);
        }
        SegmentFiles.syncDir(root);
        deleteTree(doomed);
        Map<String, RecordingSummary> index = readIndex();
        if (index.remove(name) != null) {
            writeJson(root.resolve(StoredFiles.INDEX), index);
        }
    }

    @Override
    public synchronized void rename(String from, String to) {
        RecordingMetadata.checkName(to);
        Path src = existing(from);
        Path dst = dirOf(to);
        if (Files.exists(dst)) {
            throw new RecordingException(Problem.ALREADY_EXISTS, "a recording named '" + to + "' already exists");
        }
        if (hold(from).isPresent()) {
            throw new RecordingException(Problem.LEGAL_HOLD, "recording '" + from + "' is under legal hold and cannot be renamed");
        }
        if (writing.contains(from)) {
            throw new RecordingException(Problem.WRONG_STATE, "recording '" + from + "' is being written; stop it first");
        }
        try {
            Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw io("cannot rename " + from + " to " + to, e);
        }
        SegmentFiles.syncDir(root);
        writeMetadata(dst, readMetadata(dst).withName(to));
        Map<String, RecordingSummary> index = readIndex();
        index.remove(from);
        writeJson(root.resolve(StoredFiles.INDEX), index);
    }

    @Override
    public synchronized void placeHold(String name, String reason) {
        existing(name);
        Map<String, LegalHold> holds = readHolds();
        holds.put(name, new LegalHold(name, reason, wallClock.instant()));
        writeJson(root.resolve(StoredFiles.HOLDS), holds);
    }

    @Override
    public synchronized void releaseHold(String name) {
        Map<String, LegalHold> holds = readHolds();
        if (holds.remove(name) != null) {
            writeJson(root.resolve(StoredFiles.HOLDS), holds);
        }
    }

    @Override
    public synchronized Optional<LegalHold> hold(String name) {
        return Optional.ofNullable(readHolds().get(name));
    }

    @Override
    public synchronized List<LegalHold> holds() {
        return List.copyOf(readHolds().values());
    }

    // ---- used by FileRecordingWriter ----

    synchronized void writerClosed(String name) {
        writing.remove(name);
        Path staging = staged.remove(name);
        if (staging != null) {
            try {
                Files.move(staging, dirOf(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw io("cannot publish " + name + " from " + staging, e);
            }
            SegmentFiles.syncDir(root);
        }
        Map<String, RecordingSummary> index = readIndex();
        index.put(name, summarize(load(name)));
        writeJson(root.resolve(StoredFiles.INDEX), index);
    }

    synchronized void writerClosedWithoutIndex(String name) {
        writing.remove(name);
        Path staging = staged.remove(name);
        if (staging != null) {
            deleteTree(staging);
        }
    }

    void writeMetadata(Path dir, RecordingMetadata m) {
        writeJson(dir.resolve(StoredFiles.META), m);
    }

    Path dirOf(String name) {
        return root.resolve(RecordingMetadata.checkName(name));
    }

    /** The metadata; its name is always the folder's (a rename is the folder's atomic move). */
    RecordingMetadata readMetadata(Path dir) {
        try {
            RecordingMetadata m = readJson(dir.resolve(StoredFiles.META), RecordingMetadata.class);
            String folder = dir.getFileName().toString();
            return m.name().equals(folder) ? m : m.withName(folder);
        } catch (IOException e) {
            throw new RecordingException(Problem.CORRUPT, "metadata of " + dir.getFileName() + " is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces a JSON document atomically (temporary file, forced, renamed). In an encrypting
     * store the document is sealed, so names, tags and hold reasons never reach the disk readable.
     */
    void writeJson(Path file, Object value) {
        Path tmp = StoredFiles.tmp(file);
        try {
            String json = RecordingJson.mapper().writeValueAsString(value);
            String text = keys == null ? json : new LineSealer(keys).seal(json, documentIndex(file));
            Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
            SegmentFiles.publish(tmp, file);
        } catch (IOException e) {
            throw io("cannot write " + file, e);
        }
    }

    private <T> T readJson(Path file, Class<T> type) throws IOException {
        return RecordingJson.mapper().readValue(readDocument(file), type);
    }

    private String readDocument(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        return LineSealer.isSealed(text) ? LineSealer.open(keys, text, documentIndex(file)) : text;
    }

    /** Sealing index of a document: binds it to its role, so an index cannot pass for metadata. */
    private static long documentIndex(Path file) {
        return switch (file.getFileName().toString()) {
            case StoredFiles.META -> -1;
            case StoredFiles.INDEX -> -2;
            default -> -3;
        };
    }

    static RecordingException io(String what, IOException e) {
        return new RecordingException(Problem.IO, what + ": " + e.getMessage(), e);
    }

    private Path existing(String name) {
        Path dir = dirOf(name);
        if (!Files.isRegularFile(dir.resolve(StoredFiles.META))) {
            throw new RecordingException(Problem.NOT_FOUND, "no recording named '" + name + "' in " + root);
        }
        return dir;
    }

    private RecordingSummary summarize(Recording r) {
        RecordingMetadata m = r.metadata();
        List<RecordingEvent> ev = r.events();
        Instant updated = m.updatedAt();
        if (!ev.isEmpty() && ev.get(ev.size() - 1).timestamp().isAfter(updated)) {
            updated = ev.get(ev.size() - 1).timestamp();
        }
        List<String> tags = ev.stream().filter(e -> e.type() == EventType.TAG).map(RecordingEvent::content).toList();
        return new RecordingSummary(m.name(), m.createdAt(), updated, r.messages().size(), r.sizeBytes(), m.userId(),
                m.dataClass(), m.status(), tags);
    }

    private Map<String, RecordingSummary> readIndex() {
        return readMap(root.resolve(StoredFiles.INDEX), new TypeReference<TreeMap<String, RecordingSummary>>() { });
    }

    private Map<String, LegalHold> readHolds() {
        return readMap(root.resolve(StoredFiles.HOLDS), new TypeReference<TreeMap<String, LegalHold>>() { });
    }

    private <V> Map<String, V> readMap(Path file, TypeReference<TreeMap<String, V>> type) {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return RecordingJson.mapper().readValue(readDocument(file), type);
        } catch (IOException e) {
            throw new RecordingException(Problem.CORRUPT, file + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            throw new RecordingException(Problem.IO, "cannot measure " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw io("cannot delete " + dir, e);
        }
    }

    /** Options for a {@link FileRecordingStore}. */
    public static final class Builder {
        /** Refuses null with an IllegalArgumentException naming the parameter, as every Parley builder does. */
        private static <T> T arg(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private final Path root;
        private boolean compress;
        private KeyProvider keys;
        private FlushPolicy flushPolicy = FlushPolicy.EVERY_EVENT;
        private Clock wallClock = Clock.systemUTC();

        private Builder(Path root) {
            this.root = arg(root, "root");
        }

        /** Gzip recordings when they stop [false]. */
        public Builder compress(boolean v) {
            compress = v;
            return this;
        }

        /** Encrypt everything with AES-256-GCM using these keys [no encryption]. */
        public Builder encryption(KeyProvider v) {
            keys = arg(v, "keys");
            return this;
        }

        /** How hard each event is pushed to disk [{@link FlushPolicy#EVERY_EVENT}]. */
        public Builder flushPolicy(FlushPolicy v) {
            flushPolicy = arg(v, "flushPolicy");
            return this;
        }

        /** Where hold timestamps come from [system UTC]. */
        public Builder wallClock(Clock v) {
            wallClock = arg(v, "wallClock");
            return this;
        }

        public FileRecordingStore build() {
            return new FileRecordingStore(this);
        }
    }
}
