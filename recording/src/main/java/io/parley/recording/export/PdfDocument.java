package io.parley.recording.export;

import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The call report on A4 pages with Apache PDFBox: the same summary, waveform of both channels,
 * who-spoke-when timeline (overlaps and barge-ins marked) and per-turn latency bars as the HTML
 * report, followed by the transcript with each message's position in the audio. Pages are
 * cached in a temporary file, not the heap, so long calls stay within constant memory.
 */
final class PdfDocument {

    private static final float MARGIN = 50;
    private static final float SIZE = 10.5f;
    private static final float LEADING = 14;

    private final PDDocument doc;
    private final PDFont font;
    private final PDFont bold;
    private final boolean builtIn;
    private boolean replaced;
    private PDPageContentStream cs;
    private float y;

    private PdfDocument(PDDocument doc, PDFont font, PDFont bold, boolean builtIn) {
        this.doc = doc;
        this.font = font;
        this.bold = bold;
        this.builtIn = builtIn;
    }

    static void write(Recording r, CallReport report, ExportOptions options, DateTimeFormatter time,
                      DateTimeFormatter date, List<String> header, OutputStream out) throws IOException {
        try (PDDocument doc = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
            PdfDocument pdf;
            if (options.pdfFont().isPresent()) {
                Path regular = options.pdfFont().get();
                Path boldPath = regular.resolveSibling(regular.getFileName().toString().replace(".ttf", "-Bold.ttf"));
                PDFont f = PDType0Font.load(doc, regular.toFile());
                PDFont b = Files.isRegularFile(boldPath) ? PDType0Font.load(doc, boldPath.toFile()) : f;
                pdf = new PdfDocument(doc, f, b, false);
            } else {
                pdf = new PdfDocument(doc, new PDType1Font(Standard14Fonts.FontName.HELVETICA),
                        new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), true);
            }
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Session: " + r.name());
            info.setCreator("Parley recording");
            pdf.newPage();
            pdf.line(pdf.bold, 16, "Session: " + r.name());
            pdf.y -= 6;
            for (String h : header.subList(1, header.size())) {
                pdf.line(pdf.font, SIZE, h);
            }
            pdf.line(pdf.font, SIZE, String.format(java.util.Locale.ROOT,
                    "Turns: %d    Barge-ins: %d    Overlap: %.1f s", report.turns.size(), report.bargeIns.size(),
                    CallReport.total(report.overlaps)));
            for (String p : r.report().problems()) {
                pdf.line(pdf.font, 8, "Problem: " + p);
            }
            pdf.y -= 8;
            new PdfCharts(pdf.cs, pdf.font, MARGIN, PDRectangle.A4.getWidth() - 2 * MARGIN).draw(report, pdf.y);
            pdf.y -= PdfCharts.HEIGHT + LEADING;
            pdf.line(pdf.bold, 12, "Transcript");
            for (CallReport.Line l : report.lines) {
                RecordingEvent e = l.event();
                String who = "[" + HtmlPage.clock(l.at()) + " \u00b7 " + time.format(e.timestamp()) + "] " + e.author() + ":";
                pdf.paragraph(who, RecordingExporter.shown(e));
            }
            if (pdf.replaced) {
                pdf.y -= LEADING;
                pdf.line(pdf.font, 8, pdf.builtIn
                        ? "Note: characters the built-in PDF font cannot show are printed as '?'; configure a TrueType font."
                        : "Note: characters the configured font has no glyph for are printed as '?'.");
            }
            pdf.cs.close();
            doc.save(out);
        }
    }

    private void newPage() throws IOException {
        if (cs != null) {
            cs.close();
        }
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = page.getMediaBox().getHeight() - MARGIN;
    }

    private void line(PDFont f, float size, String text) throws IOException {
        if (y < MARGIN + size) {
            newPage();
        }
        cs.beginText();
        cs.setFont(f, size);
        cs.newLineAtOffset(MARGIN, y);
        cs.showText(printable(f, text));
        cs.endText();
        y -= Math.max(LEADING, size + 4);
    }

    private void paragraph(String who, String text) throws IOException {
        float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
        String safeWho = printable(bold, who);
        float whoWidth = bold.getStringWidth(safeWho) / 1000 * SIZE + 4;
        List<String> lines = wrap(printable(font, text), width - whoWidth);
        for (int i = 0; i < lines.size(); i++) {
            if (y < MARGIN + SIZE) {
                newPage();
            }
            cs.beginText();
            if (i == 0) {
                cs.setFont(bold, SIZE);
                cs.newLineAtOffset(MARGIN, y);
                cs.showText(safeWho);
                cs.newLineAtOffset(whoWidth, 0);
            } else {
                cs.newLineAtOffset(MARGIN + whoWidth, y);
            }
            cs.setFont(font, SIZE);
            cs.showText(lines.get(i));
            cs.endText();
            y -= LEADING;
        }
        y -= 4;
    }

    private List<String> wrap(String text, float width) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (width(candidate) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (line.length() > 0) {
                out.add(line.toString());
                line.setLength(0);
            }
            // A word wider than the line (a URL, a key) is broken wherever it must be.
            String rest = word;
            while (width(rest) > width) {
                int n = rest.length() - 1;
                while (n > 1 && width(rest.substring(0, n)) > width) {
                    n--;
                }
                out.add(rest.substring(0, n));
                rest = rest.substring(n);
            }
            line.append(rest);
        }
        if (line.length() > 0 || out.isEmpty()) {
            out.add(line.toString());
        }
        return out;
    }

    private float width(String s) throws IOException {
        return font.getStringWidth(s) / 1000 * SIZE;
    }

    private String printable(PDFont f, String s) throws IOException {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            String ch = Character.isISOControl(cp) ? " " : new String(Character.toChars(cp));
            if (canShow(f, ch)) {
                b.append(ch);
            } else {
                b.append('?');
                replaced = true;
            }
        });
        return b.toString();
    }

    private static boolean canShow(PDFont f, String ch) {
        try {
            f.encode(ch);
            return true;
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }
}
