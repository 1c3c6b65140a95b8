package io.parley.recording.export;

import java.util.Locale;

/** What a recording can be exported as. */
public enum ExportFormat {
    /** Plain text: header, then one line per message with time and author. */
    TXT("txt"),
    /** Markdown: header, then a section per message. */
    MD("md"),
    /** JSON: session, date, duration, messages and tags. */
    JSON("json"),
    /** CSV: one row per message. */
    CSV("csv"),
    /** XML: the same document as JSON. */
    XML("xml"),
    /** A self-contained HTML page with the transcript and an audio player it follows. */
    HTML("html"),
    /** A PDF document of the transcript. */
    PDF("pdf"),
    /** A zip bundle of audio, transcript, full event log and metadata. */
    ZIP("zip");

    private final String extension;

    ExportFormat(String extension) {
        this.extension = extension;
    }

    /** File name extension, without the dot. */
    public String extension() {
        return extension;
    }

    /**
     * The format for a name such as {@code "md"} or {@code "PDF"}.
     *
     * @throws IllegalArgumentException naming the supported formats if there is none
     */
    public static ExportFormat parse(String name) {
        for (ExportFormat f : values()) {
            if (f.extension.equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown export format '" + name + "'; use one of txt, md, json, csv, xml, html, pdf, zip");
    }

    @Override
    public String toString() {
        return extension.toUpperCase(Locale.ROOT);
    }
}
