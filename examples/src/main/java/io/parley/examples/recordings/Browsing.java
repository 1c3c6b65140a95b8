package io.parley.examples.recordings;

import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingStatus;
import io.parley.recording.analysis.SessionAnalyzer;
import io.parley.recording.analysis.SessionStats;
import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.ExportOptions;
import io.parley.recording.export.RecordingExporter;
import io.parley.recording.store.FileRecordingStore;
import io.parley.recording.store.RecordingSummary;
import io.parley.recording.store.SearchHit;
import io.parley.recording.store.TagMark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The {@code recordings} commands that only read a store: list, load, export, stats, tags, goto and search. */
final class Browsing {

    private final FileRecordingStore store;
    private final PrintStream out;
    private final ZoneId zone;
    private final DateTimeFormatter time;
    private final DateTimeFormatter day;

    Browsing(FileRecordingStore store, PrintStream out, ZoneId zone) {
        this.store = store;
        this.out = out;
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("h:mm a", Locale.US).withZone(zone);
        this.day = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.US).withZone(zone);
    }

    void list(List<String> a) {
        Args.none(a, "list");
        List<RecordingSummary> all = store.list();
        if (all.isEmpty()) {
            out.println("No recordings in " + store.root());
            return;
        }
        out.println("Saved recordings");
        long total = 0;
        int i = 1;
        for (RecordingSummary s : all) {
            out.println("  " + i++ + ". " + s.name() + " (" + RecordingExporter.formatDuration(s.duration()) + ", "
                    + s.messageCount() + " msgs, " + size(s.sizeBytes()) + ") - " + day.format(s.createdAt())
                    + (s.status() == RecordingStatus.STOPPED ? "" : " [" + s.status().name().toLowerCase(Locale.ROOT) + "]"));
            total += s.messageCount();
        }
        out.println("Total: " + all.size() + " recordings, " + total + " messages");
        out.println("Load: recordings load NAME");
    }

    void load(List<String> a) {
        if (a.isEmpty() || a.size() > 2) {
            throw new IllegalArgumentException("usage: load NAME [COUNT]");
        }
        int count = a.size() == 2 ? Args.positive(a.get(1), "COUNT") : 5;
        Recording r = store.load(a.get(0));
        out.println("Recording: " + r.name());
        out.println("  Date:     " + day.format(r.metadata().createdAt()) + " " + time.format(r.metadata().createdAt()));
        out.println("  Duration: " + RecordingExporter.formatDuration(r.duration()));
        out.println("  Messages: " + r.messages().size());
        for (String p : r.report().problems()) {
            out.println("  Note: " + p);
        }
        out.println();
        out.println("First " + Math.min(count, r.messages().size()) + " messages:");
        r.messages().stream().limit(count).forEach(this::printMessage);
        out.println();
        out.println("View all: recordings export " + r.name() + " md");
    }

    void export(List<String> a) {
        if (a.size() < 2 || a.size() > 3) {
            throw new IllegalArgumentException("usage: export NAME FORMAT [DIR]");
        }
        ExportFormat format = ExportFormat.parse(a.get(1));
        Recording r = store.load(a.get(0));
        Path dir = a.size() == 3 ? Path.of(a.get(2)) : Path.of(".");
        Path file = RecordingExporter.create(ExportOptions.defaults().withZone(zone)).export(r, format, dir);
        out.println("Exported " + r.name() + " as " + format + ": " + file);
    }

    void stats(List<String> a) {
        Recording r = store.load(Args.one(a, "stats NAME"));
        SessionStats s = SessionAnalyzer.create().stats(r);
        out.println("Statistics: " + r.name());
        out.println("Overview");
        out.println("  Duration: " + RecordingExporter.formatDuration(s.duration()));
        out.println("  Messages: " + s.messages());
        s.messagesPerAuthor().forEach((who, n) -> out.println("  " + who + ": " + n + " messages"));
        out.println("Activity");
        long commands = s.commandsUsed().values().stream().mapToLong(Long::longValue).sum();
        out.println("  Commands used: " + commands);
        s.commandsUsed().forEach((c, n) -> out.println("  - " + c + ": " + n));
        out.println("Timeline");
        s.mostActive().ifPresent(w -> out.println("  Most active: " + time.format(w.start()) + "-" + time.format(w.end())
                + " (" + w.messages() + " messages)"));
        s.longestGap().ifPresent(g -> out.println("  Longest gap: " + RecordingExporter.formatDuration(g.length())
                + " (" + time.format(g.from()) + "-" + time.format(g.to()) + ")"));
        out.println("Topics");
        s.topics().forEach(t -> out.println("  - " + t));
    }

    void tags(List<String> a) {
        String name = Args.one(a, "tags NAME");
        List<TagMark> tags = store.tags(name);
        if (tags.isEmpty()) {
            out.println("No tags in " + name);
            return;
        }
        out.println("Tags in " + name + ":");
        tags.forEach(t -> out.println("  - " + t.label() + " (" + time.format(t.timestamp()) + ", at "
                + RecordingExporter.formatDuration(t.audioOffset()) + ")"));
        out.println("Jump to: recordings goto " + name + " TAG");
    }

    void gotoTag(List<String> a) {
        if (a.size() < 2) {
            throw new IllegalArgumentException("usage: goto NAME TAG");
        }
        String name = a.remove(0);
        String label = String.join(" ", a);
        TagMark tag = store.findTag(name, label).orElseThrow(() -> new RecordingException(
                RecordingException.Problem.NOT_FOUND, "no tag '" + label + "' in recording '" + name + "'"));
        Recording r = store.load(name);
        out.println("Tag " + tag.label() + " in " + name + " at " + time.format(tag.timestamp()) + " (audio "
                + RecordingExporter.formatDuration(tag.audioOffset()) + ")");
        r.messages().stream().filter(e -> e.seq() > tag.seq()).limit(5).forEach(this::printMessage);
    }

    void search(List<String> a) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("usage: search [NAME] QUERY");
        }
        List<SearchHit> hits;
        String where;
        if (a.size() >= 2 && store.exists(a.get(0))) {
            where = a.remove(0);
            hits = store.search(where, String.join(" ", a));
        } else {
            where = "all recordings";
            hits = store.search(String.join(" ", a));
        }
        out.println("Found " + hits.size() + " match" + (hits.size() == 1 ? "" : "es") + " in " + where + ":");
        int i = 1;
        for (SearchHit h : hits) {
            out.println("  " + i++ + ". " + (where.equals("all recordings") ? h.recording() + " " : "") + "["
                    + time.format(h.timestamp()) + "] " + h.author() + ": \"" + h.content() + "\"");
        }
    }

    private void printMessage(RecordingEvent e) {
        out.println("  [" + time.format(e.timestamp()) + "] " + e.author() + ": " + e.content()
                + (Boolean.TRUE.equals(e.interrupted()) ? " [interrupted]" : "")
                + (e.attachments() == null ? "" : " (attachments: " + String.join(", ", e.attachments()) + ")"));
    }


    /** A byte count for people: KB below a megabyte, MB with one decimal above. */
    static String size(long bytes) {
        if (bytes >= 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
        }
        return Math.max(1, (bytes + 512) / 1024) + " KB";
    }
}
