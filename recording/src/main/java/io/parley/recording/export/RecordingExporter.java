package io.parley.recording.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.RecordingJson;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.audio.Wav;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a {@link Recording} in any {@link ExportFormat}. Text formats show the messages (what the
 * user, the agent and the system said); an interrupted agent reply shows only what was heard,
 * marked as interrupted. Thread-safe.
 */
public final class RecordingExporter {

    private static final CsvMapper CSV = RecordingJson.configure(new CsvMapper());
    private static final XmlMapper XML = RecordingJson.configure(new XmlMapper());

    static {
        XML.configure(ToXmlGenerator.Feature.WRITE_XML_DECLARATION, true);
        XML.enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final ExportOptions options;
    private final DateTimeFormatter time;
    private final DateTimeFormatter date;

    private RecordingExporter(ExportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.time = DateTimeFormatter.ofPattern("h:mm a", Locale.US).withZone(options.zone());
        this.date = DateTimeFormatter.ofPattern("yyyy-MM-dd h:mm a", Locale.US).withZone(options.zone());
    }

    /** An exporter with {@link ExportOptions#defaults()}. */
    public static RecordingExporter create() {
        return new RecordingExporter(ExportOptions.defaults());
    }

    /** An exporter with these options. */
    public static RecordingExporter create(ExportOptions options) {
        return new RecordingExporter(options);
    }

    /** The options in use. */
    public ExportOptions options() {
        return options;
    }

    /**
     * Exports into {@code dir} as {@code <name>.<extension>}, replacing an older export.
     *
     * @return the file written
     */
    public Path export(Recording r, ExportFormat format, Path dir) {
        Path file = dir.resolve(r.name() + "." + format.extension());
        try {
            Files.createDirectories(dir);
            RecordingExporter exporter = this;
            if (format == ExportFormat.HTML && options.includeAudio() && r.audio().isPresent()) {
                Path wav = dir.resolve(r.name() + ".wav");
                writeAtomically(wav, out -> Wav.write(out, r.audio().get().sampleRate(), r.audio().get()));
                exporter = new RecordingExporter(options.withAudioHref(Optional.of(wav.getFileName().toString())));
            }
            RecordingExporter chosen = exporter;
            writeAtomically(file, out -> chosen.export(r, format, out));
            return file;
        } catch (IOException | RuntimeException e) {
            throw e instanceof RecordingException re ? re : new RecordingException(Problem.IO, "cannot export "
                    + r.name() + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Something that writes a whole file's content. */
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code file} under a temporary name and renames it into place; removes the temporary file on failure. */
    private static void writeAtomically(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
                content.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Exports to a stream, which is left open. */
    public void export(Recording r, ExportFormat format, OutputStream out) {
        try {
            switch (format) {
                case TXT -> text(r, out);
                case MD -> markdown(r, out);
                case JSON -> RecordingJson.mapper().writerWithDefaultPrettyPrinter()
                        .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .writeValue(out, TranscriptDocument.of(r));
                case CSV -> csv(r, out);
                case XML -> XML.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .writeValue(out, TranscriptDocument.of(r).xmlSafe());
                case HTML -> HtmlPage.write(r, CallReport.of(r), options.audioHref(), time, date, out);
                case PDF -> PdfDocument.write(r, CallReport.of(r), options, time, date, header(r), out);
                case ZIP -> zip(r, out);
                default -> throw new IllegalArgumentException("unsupported format " + format);
            }
            out.flush();
        } catch (IOException e) {
            throw new RecordingException(Problem.IO, "cannot export " + r.name() + " as " + format + ": " + e.getMessage(), e);
        }
    }

    /** The header lines shared by text formats: session, date, duration, messages. */
    List<String> header(Recording r) {
        return List.of("Session: " + r.name(), "Date: " + date.format(r.metadata().createdAt()),
                "Duration: " + formatDuration(r.duration()), "Messages: " + r.messages().size());
    }

    /** "1h 23m", "12m 5s" or "42s". */
    public static String formatDuration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    static String shown(RecordingEvent e) {
        String s = Boolean.TRUE.equals(e.interrupted()) ? e.content() + " [interrupted]" : e.content();
        return e.attachments() == null || e.attachments().isEmpty() ? s
                : s + " (attachments: " + String.join(", ", e.attachments()) + ")";
    }

    private void text(Recording r, OutputStream os) throws IOException {
        Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        String rule = "=".repeat(37);
        w.write(rule + "\n");
        for (String h : header(r)) {
            w.write(h + "\n");
        }
        w.write(rule + "\n\n");
        for (RecordingEvent e : r.messages()) {
            w.write("[" + time.format(e.timestamp()) + "] " + e.author() + ": " + shown(e) + "\n");
        }
        w.flush();
    }

    private void markdown(Recording r, OutputStream os) throws IOException {
        Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        List<String> h = header(r);
        w.write("# " + h.get(0) + "\n");
        for (String line : h.subList(1, h.size())) {
            int colon = line.indexOf(':');
            w.write("**" + line.substring(0, colon) + ":**" + line.substring(colon + 1) + "  \n");
        }
        w.write("\n---\n\n## Conversation\n");
        for (RecordingEvent e : r.messages()) {
            w.write("\n### " + time.format(e.timestamp()) + " - " + e.author() + "\n");
            w.write(escapeMarkdown(e.content()) + (Boolean.TRUE.equals(e.interrupted()) ? " *(interrupted)*" : "") + "\n");
            if (e.attachments() != null) {
                for (String a : e.attachments()) {
                    w.write("- attachment: " + a + "\n");
                }
            }
        }
        w.flush();
    }

    private static String escapeMarkdown(String s) {
        // A message line starting with '#' or '---' would otherwise become a heading or a rule.
        return s.replaceAll("(?m)^(#|---|===)", "\\\\$1");
    }

    /** One CSV row. */
    @JsonPropertyOrder({"seq", "timestamp", "offset_ms", "author", "author_id", "type", "content", "interrupted",
            "turn_id", "confidence"})
    record CsvRow(long seq, String timestamp, @JsonProperty("offset_ms") long offsetMs, String author,
                  @JsonProperty("author_id") String authorId, String type, String content, Boolean interrupted,
                  @JsonProperty("turn_id") Long turnId, Double confidence) {
    }

    private void csv(Recording r, OutputStream out) throws IOException {
        CsvSchema schema = CSV.schemaFor(CsvRow.class).withHeader();
        List<CsvRow> rows = r.messages().stream().map(e -> new CsvRow(e.seq(), e.timestamp().toString(),
                r.audioOffset(e).toMillis(), cell(e.author()), cell(e.authorId()), e.type().wireName(), cell(e.content()),
                e.interrupted(), e.turnId(), e.confidence())).toList();
        CSV.writer(schema).without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, rows);
    }

    /**
     * Neutralises a cell a spreadsheet would run as a formula ({@code = + - @}, tab or carriage
     * return first) by prefixing an apostrophe, as OWASP recommends for CSV exports.
     */
    static String cell(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
    }

    private void zip(Recording r, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        entry(zip, "metadata.json", RecordingJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(r.metadata()));
        zip.putNextEntry(new ZipEntry("transcript.txt"));
        text(r, zip);
        zip.closeEntry();
        entry(zip, "transcript.json", RecordingJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(TranscriptDocument.of(r)));
        zip.putNextEntry(new ZipEntry("events.jsonl"));
        for (RecordingEvent e : r.events()) {
            zip.write(RecordingJson.mapper().writeValueAsBytes(e));
            zip.write('\n');
        }
        zip.closeEntry();
        entry(zip, "redactions.json", RecordingJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(r.redactions()));
        if (options.includeAudio() && r.audio().isPresent()) {
            AudioTrack track = r.audio().get();
            zip.putNextEntry(new ZipEntry("audio.wav"));
            Wav.write(zip, track.sampleRate(), track);
            zip.closeEntry();
        }
        zip.finish();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
