package io.parley.recording.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.VirtualClock;
import io.parley.recording.Recording;
import io.parley.recording.TestConversations;
import io.parley.recording.store.FileRecordingStore;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the exported call report in headless Chromium: a screenshot shows the waveform, the
 * who-spoke-when lanes and the barge-in marker drawn; clicking a message seeks the referenced
 * audio there and highlights that message. The screenshot is kept in {@code target/} to look at.
 */
class HtmlInBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void reportRendersItsChartsAndClickingAMessageSeeksTheAudio() throws Exception {
        assertThat(CHROMIUM).as("chromium (installed by bin/setup-deps)").isExecutable();
        Recording rec = TestConversations.record(FileRecordingStore.open(dir.resolve("store")),
                new VirtualClock(Instant.parse("2025-11-08T15:45:00Z")), "call");
        Path page = RecordingExporter.create().export(rec, ExportFormat.HTML, dir);
        assertThat(dir.resolve("call.wav")).exists();

        Path shot = dir.resolve("report.png");
        run("--screenshot=" + shot, "--window-size=1400,900", page.toUri().toString());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(img.getWidth()).isEqualTo(1400);
        assertThat(RecordingExporterTest.pixels(img, 0x2a6df4)).as("user (blue) waveform and speech lane pixels").isGreaterThan(2000);
        assertThat(RecordingExporterTest.pixels(img, 0xf08c00)).as("agent (orange) waveform and speech lane pixels").isGreaterThan(2000);
        assertThat(RecordingExporterTest.pixels(img, 0xe03131)).as("barge-in marker pixels").isGreaterThan(20);
        Path kept = Path.of("target", "report-screenshot.png");
        Files.createDirectories(kept.getParent());
        Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);

        // Click the agent's second answer (3.2 s), as a user would.
        String probe = "<script>window.addEventListener('load',function(){"
                + "document.querySelectorAll('.msg')[3].click();});</script></body>";
        Files.writeString(page, Files.readString(page, StandardCharsets.UTF_8).replace("</body>", probe),
                StandardCharsets.UTF_8);
        String dom = run("--autoplay-policy=no-user-gesture-required", "--virtual-time-budget=5000", "--dump-dom",
                page.toUri().toString());
        assertThat(dom).contains("data-seeked=\"3.200\"");
        assertThat(dom).containsPattern("class=\"msg bot_response current\" data-t=\"3.200\"[^>]*><span class=\"time\">"
                + "[^<]*</span><b>Bot</b><div class=\"text\">Here is a toke");
        assertThat(dom.split(" current\"", -1)).hasSize(2);
        assertThat(dom).containsPattern("class=\"playhead\" x1=\"[1-9][0-9.]*\"");
    }

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--hide-scrollbars", "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished (log: %s)", dir.resolve("chromium.log")).isTrue();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
