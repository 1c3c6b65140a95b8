package io.parley.recording.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.recording.ManualClock;
import io.parley.recording.Recording;
import io.parley.recording.TestConversations;
import io.parley.recording.store.FileRecordingStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the exported HTML page in headless Chromium, seeks its audio player and checks that the
 * transcript follows: the message being spoken at that point is highlighted.
 */
class HtmlInBrowserTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void transcriptFollowsTheEmbeddedPlayer() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(chromium).as("chromium (installed by bin/setup-deps)").isExecutable();
        Recording rec = TestConversations.record(FileRecordingStore.open(dir.resolve("store")),
                new ManualClock(Instant.parse("2025-11-08T15:45:00Z")), "call");
        Path page = RecordingExporter.create().export(rec, ExportFormat.HTML, dir);
        // Seek once the audio is loaded, as a user dragging the slider would.
        String probe = "<script>var a=document.getElementById('player');"
                + "a.addEventListener('loadedmetadata',function(){a.currentTime=3.5;});"
                + "a.addEventListener('seeked',function(){document.body.setAttribute('data-seeked',String(a.currentTime));});"
                + "</script></body>";
        String html = Files.readString(page, StandardCharsets.UTF_8).replace("</body>", probe);
        Files.writeString(page, html, StandardCharsets.UTF_8);

        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + dir.resolve("profile"), "--autoplay-policy=no-user-gesture-required",
                "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString())
                .redirectError(dir.resolve("chromium.log").toFile()).start();
        String dom;
        try {
            dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(dom).as("page was seeked (chromium log: %s)", dir.resolve("chromium.log")).contains("data-seeked=\"3.5\"");
        // At 3.5 s the agent is answering the second question (from 3.2 s until the barge-in at 3.8 s).
        assertThat(dom).containsPattern("class=\"msg bot_response current\" data-start=\"3.200\"[^>]*><span class=\"time\">"
                + "[^<]*</span><b>Bot:</b> Here is a toke");
        assertThat(dom.split("current\"", -1)).hasSize(2);
    }
}
