package io.parley.recording.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import io.parley.recording.EventType;
import io.parley.testing.VirtualClock;
import io.parley.recording.Recording;
import io.parley.recording.RecordingJson;
import io.parley.recording.SessionRecorder;
import io.parley.recording.TestConversations;
import io.parley.recording.privacy.Redactor;
import io.parley.recording.store.FileRecordingStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingExporterTest {

    @TempDir
    Path dir;

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));
    FileRecordingStore store;
    Recording rec;
    final RecordingExporter exporter = RecordingExporter.create();

    @BeforeEach
    void record() {
        store = FileRecordingStore.open(dir.resolve("store"));
        rec = TestConversations.record(store, clock, "oauth-implementation");
    }

    String export(Recording r, ExportFormat f) {
        return new String(bytes(r, f), StandardCharsets.UTF_8);
    }

    byte[] bytes(Recording r, ExportFormat f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.export(r, f, out);
        return out.toByteArray();
    }

    @Test
    void textHasHeaderAndOneTimedLinePerMessage() {
        String txt = export(rec, ExportFormat.TXT);
        assertThat(txt).startsWith("=====================================\nSession: oauth-implementation\n"
                + "Date: 2025-11-08 3:45 PM\nDuration: 4s\nMessages: 6\n=====================================\n\n");
        assertThat(txt).contains("[3:45 PM] STRYK: How do I implement OAuth2\n",
                "[3:45 PM] Bot: OAuth2 is an authorization framework.\n",
                "[3:45 PM] Bot: Here is a toke [interrupted]\n", "[3:45 PM] system: recording started\n");
        assertThat(txt.lines().filter(l -> l.startsWith("[")).count()).isEqualTo(6);
        assertThat(RecordingExporter.formatDuration(Duration.ofSeconds(4980))).isEqualTo("1h 23m");
        assertThat(RecordingExporter.formatDuration(Duration.ofSeconds(125))).isEqualTo("2m 5s");
        String pacific = new String(bytesWith(RecordingExporter.create(ExportOptions.defaults()
                .withZone(ZoneId.of("America/Los_Angeles"))), ExportFormat.TXT), StandardCharsets.UTF_8);
        assertThat(pacific).contains("Date: 2025-11-08 7:45 AM");
    }

    byte[] bytesWith(RecordingExporter e, ExportFormat f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        e.export(rec, f, out);
        return out.toByteArray();
    }

    @Test
    void markdownHasHeaderAndSectionPerMessage() {
        String md = export(rec, ExportFormat.MD);
        assertThat(md).startsWith("# Session: oauth-implementation\n**Date:** 2025-11-08 3:45 PM  \n"
                + "**Duration:** 4s  \n**Messages:** 6  \n\n---\n\n## Conversation\n");
        assertThat(md).contains("\n### 3:45 PM - STRYK\nHow do I implement OAuth2\n",
                "\n### 3:45 PM - Bot\nHere is a toke *(interrupted)*\n");
    }

    @Test
    void jsonCsvAndXmlCarryTheSameMessages() throws Exception {
        JsonNode json = RecordingJson.mapper().readTree(export(rec, ExportFormat.JSON));
        assertThat(json.get("session").asText()).isEqualTo("oauth-implementation");
        assertThat(json.get("date").asText()).isEqualTo("2025-11-08T15:45:00Z");
        assertThat(json.get("duration_seconds").asLong()).isEqualTo(4);
        assertThat(json.get("message_count").asInt()).isEqualTo(6);
        JsonNode q = json.get("messages").get(1);
        assertThat(q.get("author").asText()).isEqualTo("STRYK");
        assertThat(q.get("author_id").asText()).isEqualTo("123");
        assertThat(q.get("type").asText()).isEqualTo("user_message");
        assertThat(q.get("content").asText()).isEqualTo("How do I implement OAuth2");
        assertThat(q.get("timestamp").asText()).startsWith("2025-11-08T15:45:01");
        assertThat(json.get("messages").get(4).get("interrupted").asBoolean()).isTrue();
        assertThat(json.get("tags").get(0).get("label").asText()).isEqualTo("found-solution");

        CsvMapper csv = new CsvMapper();
        try (MappingIterator<Map<String, String>> it = csv.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(export(rec, ExportFormat.CSV))) {
            List<Map<String, String>> rows = it.readAll();
            assertThat(rows).hasSize(6);
            assertThat(rows.get(1)).containsEntry("author", "STRYK").containsEntry("type", "user_message")
                    .containsEntry("content", "How do I implement OAuth2").containsEntry("offset_ms", "1200")
                    .containsEntry("confidence", "0.9");
            assertThat(rows.get(4)).containsEntry("interrupted", "true");
        }

        String xmlText = export(rec, ExportFormat.XML);
        assertThat(xmlText).startsWith("<?xml").contains("<recording>", "<message>");
        JsonNode xml = new XmlMapper().readTree(xmlText);
        assertThat(xml.get("session").asText()).isEqualTo("oauth-implementation");
        assertThat(xml.get("messages").get("message")).hasSize(6);
        assertThat(xml.get("messages").get("message").get(2).get("content").asText())
                .isEqualTo("OAuth2 is an authorization framework.");
    }

    @Test
    void htmlIsSelfContainedWithAudioAndTimedTranscript() throws Exception {
        SessionRecorder r = SessionRecorder.builder(store).clock(clock).user("u", "Eve <script>").redactor(Redactor.none()).build();
        r.start("html-escape");
        r.message(EventType.USER_MESSAGE, "a < b && \"quotes\" </div>");
        r.stop();
        String html = export(store.load("html-escape"), ExportFormat.HTML);
        assertThat(html).contains("Eve &lt;script&gt;", "a &lt; b &amp;&amp; &quot;quotes&quot; &lt;/div&gt;")
                .doesNotContain("<script>alert").doesNotContain("http://").doesNotContain("https://");

        String page = export(rec, ExportFormat.HTML);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<title>Call report: oauth-implementation</title>",
                "timeupdate", "scrollIntoView", "<svg id=\"wave\"", "<svg id=\"timeline\"", "<svg id=\"latency\"",
                "class=\"barge\"", "white-space:pre-wrap").doesNotContain("data:audio").doesNotContain("<audio");
        List<String> starts = new ArrayList<>();
        Matcher s = Pattern.compile("class=\"msg [a-z_]+\" data-t=\"([0-9.]+)\"").matcher(page);
        while (s.find()) {
            starts.add(s.group(1));
        }
        assertThat(starts).containsExactly("0.000", "1.200", "1.200", "3.200", "3.200", "4.300");
        String referenced = new String(bytesWith(RecordingExporter.create(ExportOptions.defaults()
                .withAudioHref(java.util.Optional.of("/calls/7/audio.wav"))), ExportFormat.HTML), StandardCharsets.UTF_8);
        assertThat(referenced).contains("<audio id=\"player\" controls preload=\"metadata\" src=\"/calls/7/audio.wav\">");

        Path out = dir.resolve("html-out");
        Path file = RecordingExporter.create().export(rec, ExportFormat.HTML, out);
        assertThat(Files.readString(file)).contains("src=\"oauth-implementation.wav\"");
        assertThat(Files.size(out.resolve("oauth-implementation.wav"))).isEqualTo(44 + 16 * 4300 * 4);
        assertThat(Files.size(file)).isLessThan(200_000);
    }

    @Test
    void pdfContainsTheTranscriptOnAsManyPagesAsNeeded() throws Exception {
        try (PDDocument pdf = Loader.loadPDF(bytes(rec, ExportFormat.PDF))) {
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("Session: oauth-implementation", "Date: 2025-11-08 3:45 PM", "Messages: 6",
                    "How do I implement OAuth2", "Here is a toke [interrupted]", "Waveform", "Who spoke when",
                    "Latency per turn", "Barge-ins: 1");
            assertThat(pdf.getDocumentInformation().getTitle()).isEqualTo("Session: oauth-implementation");
            // The first page, rendered as a reader would see it, shows both channels and the barge-in.
            java.awt.image.BufferedImage page = new org.apache.pdfbox.rendering.PDFRenderer(pdf).renderImageWithDPI(0, 72);
            javax.imageio.ImageIO.write(page, "png", Path.of("target", "report-page1.png").toFile());
            assertThat(pixels(page, 0x2a6df4)).as("user (blue) pixels").isGreaterThan(1000);
            assertThat(pixels(page, 0xf08c00)).as("agent (orange) pixels").isGreaterThan(1000);
            assertThat(pixels(page, 0xe03131)).as("barge-in (red) pixels").isGreaterThan(10);
        }
        SessionRecorder r = SessionRecorder.builder(store).clock(clock).redactor(Redactor.none()).build();
        r.start("long");
        for (int i = 0; i < 120; i++) {
            r.message(EventType.USER_MESSAGE, "message " + i + " " + "lorem ipsum dolor sit amet ".repeat(8)
                    + "averyveryverylongwordthatcannotfitonasinglelineaveryveryverylongwordthatcannotfitonasinglelineatall");
        }
        r.message(EventType.BOT_RESPONSE, "Grüße – naïve café, 你好");
        r.stop();
        Recording longRec = store.load("long");
        try (PDDocument pdf = Loader.loadPDF(bytes(longRec, ExportFormat.PDF))) {
            assertThat(pdf.getNumberOfPages()).isGreaterThan(5);
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("message 119", "Grüße – naïve café");
        }
        RecordingExporter helvetica = RecordingExporter.create(ExportOptions.defaults().withPdfFont(Optional.empty()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        helvetica.export(longRec, ExportFormat.PDF, out);
        try (PDDocument pdf = Loader.loadPDF(out.toByteArray())) {
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("Grüße – naïve café, ??", "printed as '?'");
        }
    }

    @Test
    void zipBundlesAudioTranscriptEventsAndMetadata() throws Exception {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes(rec, ExportFormat.ZIP)))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        assertThat(entries).containsOnlyKeys("metadata.json", "transcript.txt", "transcript.json", "events.jsonl",
                "redactions.json", "audio.wav");
        assertThat(entries.get("audio.wav")).hasSize(44 + 16 * 4300 * 4);
        assertThat(new String(entries.get("events.jsonl"), StandardCharsets.UTF_8).lines().count())
                .isEqualTo(rec.events().size());
        assertThat(new String(entries.get("transcript.txt"), StandardCharsets.UTF_8)).contains("Session: oauth-implementation");
        assertThat(RecordingJson.mapper().readTree(entries.get("metadata.json")).get("user_id").asText()).isEqualTo("123");
    }

    @Test
    void exportsToFilesAndBatchExportsADateRange() throws Exception {
        Path file = exporter.export(rec, ExportFormat.MD, dir.resolve("out"));
        assertThat(file.getFileName().toString()).isEqualTo("oauth-implementation.md");
        assertThat(Files.readString(file)).startsWith("# Session: oauth-implementation");

        clock.advance(Duration.ofDays(2));
        TestConversations.record(store, clock, "later");
        clock.advance(Duration.ofDays(5));
        TestConversations.record(store, clock, "much-later");
        BatchExporter batch = new BatchExporter(store, exporter);
        List<Path> files = batch.export(Instant.parse("2025-11-08T00:00:00Z"), Instant.parse("2025-11-12T00:00:00Z"),
                ExportFormat.JSON, dir.resolve("batch"));
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("oauth-implementation.json", "later.json");
        assertThatThrownBy(() -> batch.export(Instant.parse("2025-11-12T00:00:00Z"), Instant.parse("2025-11-08T00:00:00Z"),
                ExportFormat.JSON, dir)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExportFormat.parse("docx")).hasMessageContaining("txt, md, json, csv, xml, html, pdf, zip");
        assertThat(ExportFormat.parse("PDF")).isEqualTo(ExportFormat.PDF);
    }

    static int pixels(java.awt.image.BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) & 0xFFFFFF;
                if (Math.abs((c >> 16) - (rgb >> 16)) < 16 && Math.abs((c >> 8 & 0xFF) - (rgb >> 8 & 0xFF)) < 16
                        && Math.abs((c & 0xFF) - (rgb & 0xFF)) < 16) {
                    n++;
                }
            }
        }
        return n;
    }
}
