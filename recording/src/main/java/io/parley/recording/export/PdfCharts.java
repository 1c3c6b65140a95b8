package io.parley.recording.export;

import java.awt.Color;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDFont;

/** Draws the report's charts (waveform, who spoke when, latency per turn) into a PDF page. */
final class PdfCharts {

    /** Points the charts take from the top they are drawn at. */
    static final float HEIGHT = 270;
    private static final Color USER = new Color(0x2a, 0x6d, 0xf4);
    private static final Color AGENT = new Color(0xf0, 0x8c, 0x00);
    private static final Color OVERLAP = new Color(0xf5, 0xb5, 0xb5);
    private static final Color BARGE = new Color(0xe0, 0x31, 0x31);
    private static final Color[] LATENCY = {new Color(0x7b, 0x61, 0xff), new Color(0x00, 0xa3, 0xa3),
            new Color(0xe0, 0xa1, 0x00), new Color(0xe8, 0x59, 0x0c), new Color(0x44, 0x44, 0x44)};

    private final PDPageContentStream cs;
    private final PDFont font;
    private final float left;
    private final float width;

    PdfCharts(PDPageContentStream cs, PDFont font, float left, float width) {
        this.cs = cs;
        this.font = font;
        this.left = left;
        this.width = width;
    }

    void draw(CallReport c, float top) throws IOException {
        label("Waveform (user above, agent below)", top);
        waveform(c, top - 8, 80);
        label("Who spoke when (red: overlap, marks: barge-ins)", top - 100);
        timeline(c, top - 108, 56);
        label("Latency per turn (end of turn, recognizer, agent, first audio, user \u2192 agent audio)", top - 184);
        latencies(c, top - 192, 70);
    }

    private void waveform(CallReport c, float top, float h) throws IOException {
        frame(top, h);
        float[][] peaks = c.peaks;
        float colW = width / peaks[0].length;
        for (int ch = 0; ch < 2; ch++) {
            float mid = top - h / 4 - ch * h / 2;
            cs.setNonStrokingColor(ch == 0 ? USER : AGENT);
            for (int x = 0; x < peaks[ch].length; x++) {
                float amp = Math.max(0.3f, peaks[ch][x] * (h / 4 - 2));
                cs.addRect(left + x * colW, mid - amp, colW, 2 * amp);
            }
            cs.fill();
        }
    }

    private void timeline(CallReport c, float top, float h) throws IOException {
        frame(top, h);
        spans(c, c.overlaps, top - h + 12, h - 14, OVERLAP);
        spans(c, c.user, top - 20, 14, USER);
        spans(c, c.agent, top - 40, 14, AGENT);
        cs.setStrokingColor(BARGE);
        cs.setLineWidth(1.2f);
        for (double b : c.bargeIns) {
            float x = x(c, b);
            cs.moveTo(x, top);
            cs.lineTo(x, top - h + 10);
        }
        cs.stroke();
        cs.setNonStrokingColor(Color.DARK_GRAY);
        int step = HtmlPage.tickStep(c.seconds);
        for (int s = 0; s <= c.seconds; s += step) {
            text(HtmlPage.clock(s), x(c, s) + 1, top - h + 2, 6);
        }
    }

    private void latencies(CallReport c, float top, float h) throws IOException {
        frame(top, h);
        if (c.turns.isEmpty()) {
            cs.setNonStrokingColor(Color.GRAY);
            text("no turn latencies recorded", left + 4, top - 14, 8);
            return;
        }
        long max = c.maxLatencyMs();
        float group = width / c.turns.size();
        float bar = group * 0.8f / CallReport.LATENCIES.size();
        for (int i = 0; i < c.turns.size(); i++) {
            int m = 0;
            for (String key : CallReport.LATENCIES.keySet()) {
                Long v = c.turns.get(i).latenciesMs().get(key);
                if (v != null) {
                    cs.setNonStrokingColor(LATENCY[m]);
                    float bh = Math.max(0.5f, (h - 12) * v / max);
                    cs.addRect(left + i * group + group * 0.1f + m * bar, top - h, bar, bh);
                    cs.fill();
                }
                m++;
            }
        }
        cs.setNonStrokingColor(Color.DARK_GRAY);
        text(max + " ms", left + 2, top - 8, 6);
    }

    private void spans(CallReport c, List<CallReport.Span> spans, float y, float h, Color color) throws IOException {
        if (spans.isEmpty()) {
            return;
        }
        cs.setNonStrokingColor(color);
        for (CallReport.Span s : spans) {
            float x0 = x(c, s.start());
            cs.addRect(x0, y, Math.max(0.4f, x(c, s.end()) - x0), h);
        }
        cs.fill();
    }

    private void frame(float top, float h) throws IOException {
        cs.setStrokingColor(new Color(0xdd, 0xdd, 0xdd));
        cs.setLineWidth(0.5f);
        cs.addRect(left, top - h, width, h);
        cs.stroke();
    }

    private void label(String s, float y) throws IOException {
        cs.setNonStrokingColor(Color.BLACK);
        text(s, left, y, 8);
    }

    private void text(String s, float x, float y, float size) throws IOException {
        String safe = s;
        try {
            font.encode(s);
        } catch (IllegalArgumentException e) {
            safe = s.replaceAll("[^\\x20-\\x7e]", "-");
        }
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y);
        cs.showText(safe);
        cs.endText();
    }

    private float x(CallReport c, double seconds) {
        return c.seconds <= 0 ? left : (float) (left + seconds * width / c.seconds);
    }
}
