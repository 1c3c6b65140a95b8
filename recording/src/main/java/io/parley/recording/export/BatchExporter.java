package io.parley.recording.export;

import io.parley.recording.store.RecordingStore;
import io.parley.recording.store.RecordingSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Exports every recording of a store that began within a time range. */
public final class BatchExporter {

    private final RecordingStore store;
    private final RecordingExporter exporter;

    public BatchExporter(RecordingStore store, RecordingExporter exporter) {
        this.store = Objects.requireNonNull(store, "store");
        this.exporter = Objects.requireNonNull(exporter, "exporter");
    }

    /**
     * Exports recordings created in {@code [from, to)} into {@code dir}, oldest first.
     *
     * @return the files written
     * @throws IllegalArgumentException if {@code to} is not after {@code from}
     */
    public List<Path> export(Instant from, Instant to, ExportFormat format, Path dir) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("export range end " + to + " must be after its start " + from);
        }
        List<Path> files = new ArrayList<>();
        List<RecordingSummary> inRange = store.list().stream()
                .filter(s -> !s.createdAt().isBefore(from) && s.createdAt().isBefore(to))
                .sorted(Comparator.comparing(RecordingSummary::createdAt)).toList();
        for (RecordingSummary s : inRange) {
            files.add(exporter.export(store.load(s.name()), format, dir));
        }
        return files;
    }
}
